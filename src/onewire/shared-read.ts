/**
 * One read in flight per source: a caller asking for the same read while it runs gets that read's result
 * instead of starting another, so an inject storm or a reader on a slow bus never piles reads up. A read of
 * another selection waits for the running one.
 */

/** Input messages that may wait for one read; more are refused, each with a clear error. */
export const MAX_WAITING_INPUTS = 16;

export class SharedRead<T> {
  private current: { key: string; result: Promise<T> } | undefined;

  run(key: string, start: () => Promise<T>): Promise<T> {
    if (this.current?.key === key) return this.current.result;
    const before =
      this.current?.result.then(
        () => undefined,
        () => undefined,
      ) ?? Promise.resolve();
    const result: Promise<T> = before.then(start).finally(() => {
      if (this.current?.result === result) this.current = undefined;
    });
    this.current = { key, result };
    return result;
  }
}

/**
 * Counts the input messages waiting for a read, so that a storm beyond `max` is refused at once rather
 * than piling up behind a slow bus.
 */
export class WaitingInputs {
  private waiting = 0;

  constructor(readonly max = MAX_WAITING_INPUTS) {}

  get count(): number {
    return this.waiting;
  }

  /** Runs `work` while counted, or answers undefined when `max` messages already wait. */
  admit<T>(work: () => Promise<T>): Promise<T> | undefined {
    if (this.waiting >= this.max) return undefined;
    this.waiting += 1;
    return work().finally(() => {
      this.waiting -= 1;
    });
  }
}
