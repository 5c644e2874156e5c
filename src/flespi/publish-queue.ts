/**
 * Every message a broker config has accepted and the broker has not yet confirmed:
 * those waiting for a connection and those sent ahead of their PUBACK. It outlives a
 * connection, so that a redeploy hands it to the next one, and, with a store directory,
 * it is journalled to disk so that a restart or a power cut hands it to the next process.
 */
import { EventEmitter } from 'events';
import * as fs from 'fs';
import { randomBytes } from 'crypto';
import type { PublishRequest } from './message';
import { Answer, Pending } from './pending';
import { DEFAULT_OUTBOX_LIMITS, Outbox, OutboxLimits } from './outbox';
import { MESSAGE_ID_MAX_LENGTH, publishSize } from './packet-size';
import { RuleError } from '../field-rules';
import { MAX_BODY_BYTES } from './store/framing';
import { messageBodyBytes } from './store/record';
import { OutboxLog } from './store/log';
import type { StoreFiles } from './store/files';
import { Recovered, recoverStore } from './store/recovery';
import { lockStore } from './store/lock';
import { DIRECTORY_MODE } from './store/segments';

export { MESSAGE_ID_MAX_LENGTH, MESSAGE_ID_PROPERTY } from './packet-size';
export { Answer, Pending } from './pending';

export const DROPPED_REASON = 'dropped: the offline buffer was full and newer messages took its place';

/** A message the broker closed the connection on this many times in a row is taken to be the cause. */
export const MAX_STRIKES = 3;

export type Storage =
  | { kind: 'disk'; directory: string }
  | { kind: 'memory' }
  /** The disk failed: kept in memory from then on; what the store already held stays on disk. */
  | { kind: 'memory-fallback'; directory: string; code: string; reason: string };

export interface QueueEvents {
  storage: [Storage];
}

export interface QueueOptions {
  limits?: OutboxLimits;
  /** Journal the queue in this directory; without it the queue lives in memory only. */
  directory?: string;
  files?: StoreFiles;
  syncIntervalMs?: number;
  segmentBytes?: number;
}

/** What opening a store found, for the log lines a start deserves (and a redeploy does not repeat). */
export interface OpenReport {
  recovered: number;
  tornBytes: number;
  corrupt: number;
  /** Messages read back that the buffer, set smaller since they were stored, no longer holds: given up, oldest first. */
  overflow?: number;
  /** The store could not be opened: the queue is in memory from the start. */
  failed?: Storage;
}

const noAnswer = () => undefined;

export class PublishQueue extends EventEmitter<QueueEvents> {
  readonly inFlight = new Set<Pending>();
  private report: OpenReport | undefined = { recovered: 0, tornBytes: 0, corrupt: 0 };
  private readonly outbox: Outbox<Pending>;
  private readonly idPrefix = randomBytes(6).toString('base64url');
  private nextSeq = 1;
  private log: OutboxLog | undefined;
  private where: Storage = { kind: 'memory' };
  /** Lets go of the store's lock; undefined while this queue holds none. */
  private unlock: (() => void) | undefined;
  /** Another process holds the store: its files are not this queue's to delete. */
  private lockedOut = false;

  constructor(options: QueueOptions = {}) {
    super();
    this.outbox = new Outbox<Pending>(options.limits ?? DEFAULT_OUTBOX_LIMITS);
    if (options.directory !== undefined) this.openStore(options.directory, options);
  }

  /** What opening the store found; given once, to the first who asks. */
  takeOpenReport(): OpenReport | undefined {
    const report = this.report;
    this.report = undefined;
    return report;
  }

  get storage(): Storage {
    return this.where;
  }

  setLimits(limits: OutboxLimits): void {
    this.outbox.setLimits(limits);
  }

  /** Accepted and not yet confirmed, sent or not. */
  get length(): number {
    return this.outbox.length + this.inFlight.size;
  }

  /** The encoded size of the messages waiting to be sent, as the byte bound counts it. */
  get waitingBytes(): number {
    return this.outbox.byteLength;
  }

  get dropped(): number {
    return this.outbox.dropped;
  }

  get logStats(): OutboxLog['stats'] | undefined {
    return this.log?.stats;
  }

  /**
   * Takes a message at the back and returns those dropped from the front to make room.
   * Throws, taking nothing, if the message is larger than the whole outbox. `answer` is told
   * how the message ended, with `tag`.
   */
  accept(request: PublishRequest, size: number, answer: Answer, tag?: string): Pending[] {
    if (this.log && size > MAX_BODY_BYTES / 8) refuseUnstorable(request);
    const pending = new Pending(request, size, this.nextSeq, this.idPrefix, false, answer, tag);
    const dropped = this.outbox.push(pending);
    this.nextSeq += 1;
    this.log?.append(pending);
    return dropped;
  }

  /** The next message to send, oldest first. */
  next(): Pending | undefined {
    return this.outbox.shift();
  }

  /**
   * The broker closed the connection with messages unanswered. It answers in order, so the oldest
   * of them is what it stopped at: returned, taken out, once that has happened MAX_STRIKES times,
   * so that one message a broker cannot take (a malformed one from an older store) does not
   * block the outbox at every reconnect, across restarts.
   */
  blameOldestInFlight(): Pending | undefined {
    const [oldest] = this.inFlight;
    if (!oldest) return undefined;
    oldest.strikes = (oldest.strikes ?? 0) + 1;
    if (oldest.strikes < MAX_STRIKES) return undefined;
    this.inFlight.delete(oldest);
    return oldest;
  }

  /** Sent messages whose connection went: back to the front, in their order. */
  requeueInFlight(): void {
    this.outbox.unshiftAll([...this.inFlight]);
    this.inFlight.clear();
  }

  /** Removes and returns every message, oldest first. */
  takeAll(): Pending[] {
    const all = [...this.inFlight, ...this.outbox.drain()];
    this.inFlight.clear();
    this.log?.progress();
    return all;
  }

  /** Messages were confirmed or given up: lets the journal catch up at its next commit. */
  progress(): void {
    this.log?.progress();
  }

  /** Every message up to this sequence number has been confirmed or given up. */
  confirmedThrough(): number {
    for (const first of this.inFlight) return first.seq - 1;
    return (this.outbox.peek()?.seq ?? this.nextSeq) - 1;
  }

  /** Writes what is waiting to disk now (on a redeploy or a shutdown). */
  async flush(): Promise<void> {
    await this.log?.flush();
  }

  /** Writes what is waiting to disk and closes the store's file until the next message (while parked between deploys). */
  async rest(): Promise<void> {
    await this.log?.rest();
  }

  /** Ends the journal, keeping the store for the next start. */
  async close(): Promise<void> {
    await this.log?.close();
    this.log = undefined;
    this.releaseLock();
  }

  /**
   * Takes every message out and deletes the store; returns the messages, for their
   * callers to be told or for another queue to take. The files go in the background.
   */
  discard(): { messages: Pending[]; deleted: Promise<void> } {
    const messages = this.takeAll();
    const log = this.log;
    this.log = undefined;
    // After a disk failure there is no log, but what it wrote before may still be there.
    const leftOver = this.where.kind === 'memory-fallback' && !this.lockedOut ? this.where.directory : undefined;
    const deleted = log ? log.destroy() : leftOver ? fs.promises.rm(leftOver, { recursive: true, force: true }) : Promise.resolve();
    return { messages, deleted: deleted.catch(() => undefined).finally(() => this.releaseLock()) };
  }

  private openStore(directory: string, options: QueueOptions): void {
    let recovered: Recovered;
    try {
      fs.mkdirSync(directory, { recursive: true, mode: DIRECTORY_MODE });
      const lock = lockStore(directory);
      if (!lock.held) {
        this.lockedOut = true;
        throw Object.assign(new Error(`${directory} is in use by ${lock.holder}`), { code: 'ELOCKED' });
      }
      this.unlock = () => lock.release();
      recovered = recoverStore(directory);
    } catch (error) {
      this.releaseLock();
      this.fallBack(directory, error as NodeJS.ErrnoException);
      this.report = { recovered: 0, tornBytes: 0, corrupt: 0, failed: this.where };
      return;
    }
    this.nextSeq = recovered.lastSeq + 1;
    // The buffer may have been set smaller since: the newest that fit stay, as when it fills up live.
    let overflow = 0;
    for (const message of recovered.messages) {
      const pending = new Pending(message, publishSize(message), message.seq, message.id, true, noAnswer);
      if (pending.size > this.outbox.maxBytes) overflow += 1;
      else overflow += this.outbox.push(pending).length;
    }
    this.report = {
      recovered: recovered.messages.length,
      tornBytes: recovered.tornBytes,
      corrupt: recovered.corrupt,
      ...(overflow > 0 ? { overflow } : {}),
    };
    const log = new OutboxLog(directory, recovered, {
      confirmedThrough: () => this.confirmedThrough(),
      files: options.files,
      syncIntervalMs: options.syncIntervalMs,
      segmentBytes: options.segmentBytes,
    });
    log.once('unavailable', (error) => {
      if (this.log === log) this.log = undefined;
      this.fallBack(directory, error);
    });
    this.log = log;
    this.where = { kind: 'disk', directory };
  }

  private releaseLock(): void {
    this.unlock?.();
    this.unlock = undefined;
  }

  private fallBack(directory: string, error: NodeJS.ErrnoException): void {
    this.where = { kind: 'memory-fallback', directory, code: error.code ?? 'EIO', reason: error.message };
    this.emit('storage', this.where);
  }
}

/** A record larger than recovery reads back would be written, then thrown away as damage at the next start. */
function refuseUnstorable(request: PublishRequest): void {
  const bytes = messageBodyBytes(request, MESSAGE_ID_MAX_LENGTH);
  if (bytes > MAX_BODY_BYTES)
    throw new RuleError({ rule: 'recordTooLarge', params: { bytes, max: `${MAX_BODY_BYTES / 1024 / 1024} MiB` } });
}
