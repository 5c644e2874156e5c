// Progress of a flash as one monotonic percentage across its phases.

export type FlashPhase =
  | 'validating'
  | 'connecting'
  | 'preparing'
  | 'erasing'
  | 'comparing'
  | 'backup'
  | 'reading'
  | 'writing'
  | 'verifying'
  | 'restarting'
  | 'done';

export interface FlashProgress {
  phase: FlashPhase;
  /** 0-100 over the whole flash, monotonic. */
  percent: number;
  /** Bytes of compressed data sent so far while writing; bytes received while reading. */
  sentBytes?: number;
  totalBytes?: number;
}

// Share of the overall percentage each phase covers; writing dominates on a real line. A flash either
// erases the whole chip or compares sectors, never both, so the two share a span; a backup reads what
// is about to be replaced after the comparison. A read (the node's read mode) has its own long span.
const PHASE_SPAN: Record<FlashPhase, [number, number]> = {
  validating: [0, 1],
  connecting: [1, 5],
  preparing: [5, 10],
  erasing: [13, 15],
  comparing: [10, 12],
  backup: [12, 15],
  reading: [10, 98],
  writing: [15, 95],
  verifying: [95, 98],
  restarting: [98, 100],
  done: [100, 100],
};

export class ProgressReporter {
  private lastPercent = -1;
  private lastPhase: FlashPhase | undefined;
  constructor(private readonly listener: ((progress: FlashProgress) => void) | undefined) {}

  report(phase: FlashPhase, fraction = 0, extra: Partial<FlashProgress> = {}): void {
    const [from, to] = PHASE_SPAN[phase];
    const percent = Math.max(this.lastPercent, Math.floor(from + (to - from) * Math.min(1, Math.max(0, fraction))));
    if (percent === this.lastPercent && phase === this.lastPhase) return;
    this.lastPercent = percent;
    this.lastPhase = phase;
    this.listener?.({ phase, percent, ...extra });
  }

  get phase(): FlashPhase | undefined {
    return this.lastPhase;
  }
}
