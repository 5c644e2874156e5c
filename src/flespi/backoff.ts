/**
 * Reconnect delays that grow exponentially up to a cap, with jitter so that many
 * Node-RED instances behind one outage do not all come back at the same instant.
 */
export interface BackoffOptions {
  initialMs: number;
  maxMs: number;
  /** Returns a number in [0, 1): injectable so tests are deterministic. */
  random?: () => number;
}

export const DEFAULT_BACKOFF: BackoffOptions = { initialMs: 1000, maxMs: 60_000 };

export class Backoff {
  private attempt = 0;
  private readonly random: () => number;

  constructor(private readonly options: BackoffOptions = DEFAULT_BACKOFF) {
    this.random = options.random ?? Math.random;
  }

  /** The delay before the next attempt: between half and all of the exponential step. */
  next(): number {
    const step = Math.min(this.options.maxMs, this.options.initialMs * 2 ** Math.min(this.attempt, 30));
    this.attempt += 1;
    return Math.round(step / 2 + (step / 2) * this.random());
  }

  reset(): void {
    this.attempt = 0;
  }
}
