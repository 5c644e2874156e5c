/**
 * The publish queues of broker configs between one deploy and the next. A config that
 * stops without being removed leaves its queue here; the instance that replaces it
 * (same id, maybe another host, port or token) takes it and sends what was waiting.
 */
import { DROPPED_REASON, PublishQueue, QueueOptions } from './publish-queue';

export class OutboxHandover {
  private readonly parked = new Map<string, PublishQueue>();

  /**
   * The queue for a config: the one its previous instance left, or a new one. A queue
   * kept in the other medium (disk against memory) is moved into a new one, its
   * messages in their order, and its store deleted.
   */
  take(id: string, options: QueueOptions): PublishQueue {
    const previous = this.parked.get(id);
    this.parked.delete(id);
    if (previous && (options.directory !== undefined) === (previous.storage.kind !== 'memory')) {
      if (options.limits) previous.setLimits(options.limits);
      return previous;
    }
    if (!previous) return new PublishQueue(options);
    const { messages } = previous.discard();
    const queue = new PublishQueue(options);
    for (const pending of messages) {
      for (const dropped of queue.accept(pending, pending.size, pending.answer, pending.tag)) dropped.done(new Error(DROPPED_REASON));
    }
    return queue;
  }

  /** Keeps a queue for the next instance of the config. */
  park(id: string, queue: PublishQueue): void {
    this.parked.set(id, queue);
  }
}
