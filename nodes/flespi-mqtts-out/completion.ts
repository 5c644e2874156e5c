/**
 * When a message given to flespi-mqtts-out completes, without Pass on: as soon as the offline buffer has
 * taken it. Node-RED's `done` holds the whole `msg` (its closure keeps the message it was made for), so a
 * message waiting for the broker with its `done` would keep everything a flow put on `msg` in memory, past
 * the buffer's byte bound; here a waiting message keeps nothing of the node's but its `_msgid`, as the
 * queued message's tag, and one answer serves every message. A failure that comes later (dropped from a
 * full buffer, expired, refused by the broker) goes to Catch nodes with that id and the message's topic.
 */
import type { Answer } from '../../src/flespi/pending';

/** Tells Catch nodes that a message already completed failed after all. */
export type LateFailure = (error: Error, msgid: string, topic: string) => void;

/** Hands a message to the buffer, tagged: `answer` comes at once when it is refused, later otherwise. */
export type Enqueue = (answer: Answer, tag: string) => void;

export class BufferedCompletion {
  /** Set while a message is being enqueued, if the buffer refused it there and then. */
  private refusedAtOnce: Error | undefined;

  constructor(private readonly late: LateFailure) {}

  /** The answer of every message: one refused before it was queued comes without `message`. */
  private readonly answer: Answer = (error, message) => {
    if (!message) this.refusedAtOnce = error;
    else if (error) this.late(error, message.tag ?? '', message.topic);
  };

  /** Enqueues, then calls `done` once: with the reason if the buffer refused the message, else without. */
  complete(enqueue: Enqueue, done: (error?: Error) => void, msgid: string): void {
    this.refusedAtOnce = undefined;
    enqueue(this.answer, msgid);
    const refused = this.refusedAtOnce;
    this.refusedAtOnce = undefined;
    done(refused);
  }
}
