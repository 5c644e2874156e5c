/**
 * The messages waiting for a connection, in order, bounded by count and bytes.
 * When a new message does not fit, the oldest ones make room: a home server that was
 * offline for a day should publish the latest readings, not the stalest.
 */
export interface OutboxLimits {
  maxMessages: number;
  maxBytes: number;
}

export const DEFAULT_OUTBOX_LIMITS: OutboxLimits = { maxMessages: 10_000, maxBytes: 16 * 1024 * 1024 };

export interface Sized {
  readonly size: number;
}

export class Outbox<T extends Sized> {
  private readonly items: T[] = [];
  private head = 0;
  private bytes = 0;
  private droppedTotal = 0;

  constructor(private limits: OutboxLimits = DEFAULT_OUTBOX_LIMITS) {
    checkLimits(limits);
  }

  /** New bounds; a queue above them shrinks as the next message comes. */
  setLimits(limits: OutboxLimits): void {
    this.limits = checkLimits(limits);
  }

  get length(): number {
    return this.items.length - this.head;
  }

  /** The byte bound: a message larger than this is refused. */
  get maxBytes(): number {
    return this.limits.maxBytes;
  }

  get byteLength(): number {
    return this.bytes;
  }

  /** How many messages were dropped to make room since this outbox was created. */
  get dropped(): number {
    return this.droppedTotal;
  }

  /**
   * Adds a message at the back and returns the messages dropped to make room for it
   * (oldest first). A message larger than the whole byte bound is itself refused.
   */
  push(item: T): T[] {
    if (item.size > this.limits.maxBytes) {
      throw new Error(`the message is ${item.size} bytes, more than the whole offline buffer holds (${this.limits.maxBytes} bytes)`);
    }
    const dropped: T[] = [];
    while (this.length >= this.limits.maxMessages || this.bytes + item.size > this.limits.maxBytes) {
      const oldest = this.shift();
      if (oldest === undefined) break;
      dropped.push(oldest);
    }
    this.droppedTotal += dropped.length;
    this.items.push(item);
    this.bytes += item.size;
    return dropped;
  }

  /** Puts messages that were sent but not confirmed back at the front, keeping their order. */
  unshiftAll(items: readonly T[]): void {
    if (items.length === 0) return;
    this.compact();
    this.items.unshift(...items);
    for (const item of items) this.bytes += item.size;
  }

  /** The oldest message, left in place. */
  peek(): T | undefined {
    return this.head < this.items.length ? this.items[this.head] : undefined;
  }

  shift(): T | undefined {
    if (this.head >= this.items.length) return undefined;
    const item = this.items[this.head];
    this.items[this.head] = undefined as unknown as T;
    this.head += 1;
    this.bytes -= item.size;
    if (this.head > 1024 && this.head * 2 > this.items.length) this.compact();
    return item;
  }

  /** Removes and returns everything, oldest first. */
  drain(): T[] {
    const all = this.items.slice(this.head);
    this.items.length = 0;
    this.head = 0;
    this.bytes = 0;
    return all;
  }

  private compact(): void {
    if (this.head === 0) return;
    this.items.splice(0, this.head);
    this.head = 0;
  }
}

function checkLimits(limits: OutboxLimits): OutboxLimits {
  if (!(limits.maxMessages >= 1) || !(limits.maxBytes >= 1)) {
    throw new Error('the offline buffer must hold at least one message and one byte');
  }
  return limits;
}
