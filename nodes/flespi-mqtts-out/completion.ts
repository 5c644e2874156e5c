/**
 * When a message given to flespi-mqtts-out completes, without Pass on: as soon as the offline buffer has
 * taken it. Node-RED's `done` holds the whole `msg` (its closure keeps the message it was made for), so a
 * message waiting for the broker with its `done` would keep everything a flow put on `msg` in memory, past
 * the buffer's byte bound; here a waiting message keeps its id and topic only. A failure that comes later
 * (dropped from a full buffer, expired, refused by the broker) goes to Catch nodes with those two.
 */

/** Tells Catch nodes that a message already completed failed after all. */
export type LateFailure = (error: Error, msgid: string, topic: string) => void;

/** Hands the message to the buffer; the answer comes at once when it is refused, later otherwise. */
export type Enqueue = (answer: (error?: Error) => void) => void;

/** What a waiting message keeps: no closure over `msg`, `send` or `done`. */
class Waiting {
  taken = false;
  refusedAtOnce?: Error;

  constructor(
    readonly msgid: string,
    readonly topic: string,
    readonly late: LateFailure,
  ) {}
}

function answer(this: Waiting, error?: Error): void {
  if (!this.taken) {
    this.refusedAtOnce = error;
    return;
  }
  if (error) this.late(error, this.msgid, this.topic);
}

/** Enqueues, then calls `done` once: with the reason if the buffer refused the message, else without. */
export function completeWhenBuffered(
  enqueue: Enqueue,
  done: (error?: Error) => void,
  msgid: string,
  topic: string,
  late: LateFailure,
): void {
  const waiting = new Waiting(msgid, topic, late);
  enqueue(answer.bind(waiting));
  waiting.taken = true;
  done(waiting.refusedAtOnce);
}
