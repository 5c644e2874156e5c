/**
 * Bounds the w1 sysfs reads of the whole process, because every one of them holds a thread of libuv's
 * pool for as long as the kernel takes: 750 ms for a 12-bit conversion, and for ever on a wedged bus
 * master. That pool (UV_THREADPOOL_SIZE, 4 by default) also runs every file write and fsync, Node-RED's
 * context files and `dns.lookup`, so the reader may hold all of it but two threads, never all.
 *
 * Reads are keyed (one sensor's directory): a caller asking for a key whose read is still running shares
 * that read instead of starting a second one, and once that read has outlived its time limit the key is
 * "stuck": it is skipped, without a new thread, until the kernel returns.
 */

export type GateOutcome<T> =
  | { kind: 'done'; value: T }
  | { kind: 'failed'; error: unknown }
  /** The read started but the kernel did not return within the limit; it keeps its thread until it does. */
  | { kind: 'timeout' }
  /** An earlier read of this key never returned; nothing was started. */
  | { kind: 'stuck'; sinceMs: number }
  /** Every slot is held by reads that never returned; nothing was started. */
  | { kind: 'blocked'; stuckReads: number };

interface Running {
  outcome: Promise<GateOutcome<unknown>>;
  startedAt: number;
  stuck: boolean;
}

/** Threads of libuv's pool the rest of the process keeps, whatever the sensors do. */
export const POOL_THREADS_KEPT_FREE = 2;

/** libuv reads UV_THREADPOOL_SIZE once, at the pool's first use (1..1024, default 4). */
export function libuvPoolSize(env: NodeJS.ProcessEnv = process.env): number {
  const size = Number.parseInt(env.UV_THREADPOOL_SIZE ?? '', 10);
  return Number.isInteger(size) && size > 0 ? Math.min(size, 1024) : 4;
}

export class W1Gate {
  private readonly running = new Map<string, Running>();
  private readonly waiting: Array<() => void> = [];
  private busy = 0;
  private stuckCount = 0;

  constructor(
    readonly slots: number,
    private readonly now: () => number = Date.now,
  ) {}

  /** Reads in flight, counting those the kernel never returned. */
  get inFlight(): number {
    return this.busy;
  }

  /** Runs `read` for `key` on a free slot, or shares the read of `key` already running. Never rejects. */
  run<T>(key: string, read: () => Promise<T>, timeoutMs: number): Promise<GateOutcome<T>> {
    const current = this.running.get(key);
    if (current) {
      if (current.stuck) return Promise.resolve({ kind: 'stuck', sinceMs: current.startedAt });
      return current.outcome as Promise<GateOutcome<T>>;
    }
    const entry: Running = { outcome: Promise.resolve({ kind: 'timeout' }), startedAt: this.now(), stuck: false };
    entry.outcome = this.start(key, entry, read, timeoutMs);
    this.running.set(key, entry);
    return entry.outcome as Promise<GateOutcome<T>>;
  }

  private async start<T>(key: string, entry: Running, read: () => Promise<T>, timeoutMs: number): Promise<GateOutcome<T>> {
    if (!(await this.acquire())) {
      this.running.delete(key);
      return { kind: 'blocked', stuckReads: this.stuckCount };
    }
    entry.startedAt = this.now();
    const finished: Promise<GateOutcome<T>> = read().then(
      (value) => ({ kind: 'done', value }),
      (error: unknown) => ({ kind: 'failed', error }),
    );
    // The slot and the key are given back when the kernel returns, not when the caller stops waiting.
    void finished.finally(() => {
      if (entry.stuck) this.stuckCount -= 1;
      if (this.running.get(key) === entry) this.running.delete(key);
      this.release();
    });
    let timer: NodeJS.Timeout | undefined;
    const timeout = new Promise<GateOutcome<T>>((resolve) => {
      timer = setTimeout(() => {
        entry.stuck = true;
        this.stuckCount += 1;
        this.rejectWaitersIfBlocked();
        resolve({ kind: 'timeout' });
      }, timeoutMs);
    });
    try {
      return await Promise.race([finished, timeout]);
    } finally {
      clearTimeout(timer);
    }
  }

  /** Resolves true with a slot, or false when every slot is held by a read that never returned. */
  private acquire(): Promise<boolean> {
    if (this.busy < this.slots) {
      this.busy += 1;
      return Promise.resolve(true);
    }
    if (this.allSlotsStuck()) return Promise.resolve(false);
    return new Promise<boolean>((resolve) => {
      this.waiting.push(() => resolve(this.takeFreedSlot()));
    });
  }

  private takeFreedSlot(): boolean {
    if (this.busy < this.slots) {
      this.busy += 1;
      return true;
    }
    return false;
  }

  private release(): void {
    this.busy -= 1;
    this.waiting.shift()?.();
  }

  private allSlotsStuck(): boolean {
    return this.stuckCount >= this.slots;
  }

  private rejectWaitersIfBlocked(): void {
    if (!this.allSlotsStuck()) return;
    for (const wake of this.waiting.splice(0)) wake();
  }
}

/** The one gate of the process: libuv's pool is shared by every reader of every flow. */
export const w1Gate = new W1Gate(Math.max(1, libuvPoolSize() - POOL_THREADS_KEPT_FREE));
