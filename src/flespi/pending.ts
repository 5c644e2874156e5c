/**
 * A message the publish queue holds until the broker confirms it. A buffer of 1,000,000 messages holds a
 * million of these, so it is one object that is its own PublishRequest (no request object beside it), its
 * QoS and retain flag share one field, its id is built when it is sent or written rather than kept, and its
 * publisher is told with one function shared by every message and a tag of its choosing. Every field is
 * 8 bytes: the rare ones (properties, expiry) share one, and the flags ride in the size's low bits.
 */
import type { PublishProperties, PublishRequest } from './message';

/**
 * Told once how a message ended: without an error once the broker has it. `message` is the message as the
 * queue held it (with the tag its publisher gave); it is undefined when the message was refused before it
 * was queued, which happens before `enqueue` returns.
 */
export type Answer = (error: Error | undefined, message?: Pending) => void;

const QOS_1 = 1;
const RETAIN = 2;
/** The id was read back from the store: `idBase` is the whole id, not a prefix. */
const WHOLE_ID = 4;
/** The flags above share a field with the size, in its low bits (a PUBLISH is below 2^28 bytes, so both fit a small integer). */
const FLAG_BITS = 3;

/** What few messages carry: kept apart so that the rest pay one field for it. */
interface Extras {
  readonly properties?: PublishProperties;
  readonly expiresAt?: number;
}

export class Pending implements PublishRequest {
  readonly topic: string;
  readonly payload: Buffer | string;
  private readonly extras: Extras | undefined;
  private readonly sizeAndFlags: number;
  /** The queue's prefix, shared by its messages, or the whole id of a message read back from the store. */
  private readonly idBase: string;
  /** How many connections the broker closed while this was the oldest message it had not answered (set on the rare first). */
  declare strikes?: number;

  constructor(
    request: PublishRequest,
    size: number,
    readonly seq: number,
    /** The queue's id prefix, or with `stored` the whole id the store kept. */
    idBase: string,
    stored: boolean,
    readonly answer: Answer,
    /** Whatever the publisher wants back with the answer (Node-RED's `_msgid`). */
    readonly tag?: string,
  ) {
    this.topic = request.topic;
    this.payload = request.payload;
    const { properties, expiresAt } = request;
    this.extras = properties !== undefined || expiresAt !== undefined ? { properties, expiresAt } : undefined;
    const flags = (request.qos === 1 ? QOS_1 : 0) | (request.retain ? RETAIN : 0) | (stored ? WHOLE_ID : 0);
    this.sizeAndFlags = size * (1 << FLAG_BITS) + flags;
    this.idBase = idBase;
  }

  /** The PUBLISH's size as the byte bound counts it (src/flespi/packet-size.ts). */
  get size(): number {
    return Math.floor(this.sizeAndFlags / (1 << FLAG_BITS));
  }

  get qos(): 0 | 1 {
    return (this.sizeAndFlags & QOS_1) as 0 | 1;
  }

  get retain(): boolean {
    return (this.sizeAndFlags & RETAIN) !== 0;
  }

  get properties(): PublishProperties | undefined {
    return this.extras?.properties;
  }

  get expiresAt(): number | undefined {
    return this.extras?.expiresAt;
  }

  /** Stable across resends, redeploys and restarts: sent as the `message-id` user property. */
  get id(): string {
    return this.sizeAndFlags & WHOLE_ID ? this.idBase : this.idBase + this.seq.toString(36);
  }

  /** Tells the publisher how the message ended. */
  done(error?: Error): void {
    this.answer(error, this);
  }
}
