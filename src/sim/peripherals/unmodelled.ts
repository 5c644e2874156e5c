import { hex, hex32 } from '../../hex';
import type { Peripheral } from '../cpu/peripheral';

/**
 * Accesses to registers the virtual board does not model. Each address is reported once (through
 * `report`, for the board log) and remembered, so a program that touches something unmodelled runs on
 * and the log names what it touched.
 */
export class UnmodelledLog {
  private readonly seen = new Set<number>();
  readonly entries: string[] = [];

  constructor(private readonly report: (message: string) => void = () => undefined) {}

  /** A `read` or `write` of the word at `address` that `device` does not model. */
  access(device: string, address: number, kind: 'read' | 'write', value?: number): void {
    if (this.seen.has(address)) return;
    this.seen.add(address);
    const what = kind === 'write' ? `write of ${hex(value ?? 0)} to` : 'read of';
    const message = `unmodelled ${what} ${device} register ${hex32(address)}`;
    this.entries.push(message);
    this.report(message);
  }

  /** Whether `address` was touched. */
  has(address: number): boolean {
    return this.seen.has(address);
  }
}

/** A whole block the board does not model (SPI, timers, RTC, ...): reads give 0, writes are dropped. */
export class UnmodelledDevice implements Peripheral {
  constructor(
    readonly name: string,
    private readonly base: number,
    private readonly log: UnmodelledLog,
  ) {}

  read32(offset: number): number {
    this.log.access(this.name, this.base + offset, 'read');
    return 0;
  }

  write32(offset: number, value: number): void {
    this.log.access(this.name, this.base + offset, 'write', value);
  }
}
