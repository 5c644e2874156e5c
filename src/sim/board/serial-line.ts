// One direction of a UART wire. Each byte occupies 10 bit times (start, 8 data, stop) at the rate
// the sender uses, so delivery is paced by a timer, and bytes carry their sender's rate so the
// receiving end can tell whether it samples them at the same rate.

export interface WireChunk {
  bytes: Uint8Array;
  baud: number;
}

interface Pending {
  bytes: Uint8Array;
  baud: number;
  sent: number;
  done: () => void;
}

const BITS_PER_BYTE = 10;

export class SerialLine {
  private readonly queue: Pending[] = [];
  private idleWaiters: Array<() => void> = [];
  private timer: NodeJS.Timeout | undefined;
  /** Time (ms, performance clock) at which the byte now on the wire started. */
  private wireStart = 0;
  private wireTimeTotal = 0;

  constructor(private readonly deliver: (chunk: WireChunk) => void) {}

  /** Queues bytes at `baud`; resolves once the last of them has arrived at the far end (or was dropped). */
  send(bytes: Uint8Array, baud: number): Promise<void> {
    if (bytes.length === 0) return Promise.resolve();
    this.wireTimeTotal += (bytes.length * BITS_PER_BYTE) / baud;
    return new Promise((resolve) => {
      if (this.queue.length === 0) this.wireStart = performance.now();
      this.queue.push({ bytes: bytes.slice(), baud, sent: 0, done: resolve });
      this.schedule();
    });
  }

  /** Seconds of wire time of every byte sent so far, each at its sender's rate. */
  get wireSeconds(): number {
    return this.wireTimeTotal;
  }

  get busy(): boolean {
    return this.queue.length > 0;
  }

  /** Resolves once nothing is queued or on the wire. */
  whenIdle(): Promise<void> {
    if (this.queue.length === 0) return Promise.resolve();
    return new Promise((resolve) => this.idleWaiters.push(resolve));
  }

  /** Drops everything not yet delivered (a reset or an unplugged cable); senders are released. */
  clear(): void {
    if (this.timer) clearTimeout(this.timer);
    this.timer = undefined;
    const dropped = this.queue.splice(0);
    for (const item of dropped) item.done();
    this.releaseIdleWaiters();
  }

  private releaseIdleWaiters(): void {
    const waiters = this.idleWaiters;
    this.idleWaiters = [];
    for (const resolve of waiters) resolve();
  }

  private schedule(): void {
    if (this.timer || this.queue.length === 0) return;
    const head = this.queue[0];
    const byteTime = (BITS_PER_BYTE * 1000) / head.baud;
    const wait = Math.max(0, this.wireStart + byteTime - performance.now());
    this.timer = setTimeout(
      () => {
        this.timer = undefined;
        this.pump();
      },
      Math.max(1, Math.ceil(wait)),
    );
  }

  private pump(): void {
    const now = performance.now();
    while (this.queue.length > 0) {
      const head = this.queue[0];
      const byteTime = (BITS_PER_BYTE * 1000) / head.baud;
      const complete = Math.min(head.bytes.length - head.sent, Math.floor((now - this.wireStart) / byteTime));
      if (complete <= 0) break;
      const chunk = head.bytes.subarray(head.sent, head.sent + complete);
      head.sent += complete;
      this.wireStart += complete * byteTime;
      this.deliver({ bytes: chunk, baud: head.baud });
      if (head.sent < head.bytes.length) break;
      this.queue.shift();
      head.done();
    }
    // An idle wire does not bank time: the next byte starts when it is sent.
    if (this.queue.length === 0) {
      this.releaseIdleWaiters();
      return;
    }
    if (this.wireStart < now - 1000) this.wireStart = now;
    this.schedule();
  }
}

/** Rates within this fraction of each other still sample correctly (UARTs tolerate a few percent). */
const BAUD_TOLERANCE = 0.03;

export function baudRatesMatch(a: number, b: number): boolean {
  return Math.abs(a - b) <= BAUD_TOLERANCE * Math.max(a, b);
}

/**
 * What a receiver sampling at `receiverBaud` makes of bytes sent at `senderBaud`. With matching rates the
 * bytes arrive intact. Otherwise the receiver frames on wrong bit boundaries: it sees about
 * receiverBaud/senderBaud bytes per sent byte, with values that depend on the bit pattern (deterministic
 * here, so tests are repeatable) and carry none of the original text.
 */
export function sampleAtBaud(bytes: Uint8Array, senderBaud: number, receiverBaud: number): Uint8Array {
  if (baudRatesMatch(senderBaud, receiverBaud)) return bytes;
  const count = Math.max(1, Math.round((bytes.length * receiverBaud) / senderBaud));
  const out = new Uint8Array(count);
  let state = 0x5a ^ (senderBaud & 0xff) ^ (receiverBaud & 0xff);
  for (let i = 0; i < count; i++) {
    const source = bytes[Math.min(bytes.length - 1, Math.floor((i * senderBaud) / receiverBaud))];
    state = (state * 33 + source + i) & 0xff;
    // A mis-sampled frame almost always has its top bit or stop bit wrong; keep results out of 0x20..0x7e
    // so garbage never reads as text by accident.
    out[i] = state | 0x80;
  }
  return out;
}
