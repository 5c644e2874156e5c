/**
 * Every message a broker config has accepted and the broker has not yet confirmed:
 * those waiting for a connection and those sent ahead of their PUBACK. It outlives a
 * connection, so that a redeploy hands it to the next one, and, with a store directory,
 * it is journalled to disk so that a restart or a power cut hands it to the next process.
 */
import { EventEmitter } from 'events';
import * as fs from 'fs';
import { randomBytes } from 'crypto';
import type { PublishRequest } from './connection';
import { DEFAULT_OUTBOX_LIMITS, Outbox, OutboxLimits } from './outbox';
import { publishPacketSize } from './packet-size';
import { OutboxLog } from './store/log';
import type { StoreFiles } from './store/files';
import { Recovered, recoverStore } from './store/recovery';

/** The MQTT 5 user property that carries each message's id, the same on every resend. */
export const MESSAGE_ID_PROPERTY = 'message-id';
/** An id is 8 random base64url characters and the sequence number in base 36 (at most 10 digits below 2^48). */
export const MESSAGE_ID_MAX_LENGTH = 18;

export const DROPPED_REASON = 'dropped: the offline buffer was full and newer messages took its place';

export interface Pending {
  readonly request: PublishRequest;
  readonly size: number;
  readonly seq: number;
  readonly id: string;
  done(error?: Error): void;
}

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

  get dropped(): number {
    return this.outbox.dropped;
  }

  get logStats(): OutboxLog['stats'] | undefined {
    return this.log?.stats;
  }

  /**
   * Takes a message at the back and returns those dropped from the front to make room.
   * Throws, taking nothing, if the message is larger than the whole outbox.
   */
  accept(request: PublishRequest, size: number, done: (error?: Error) => void): Pending[] {
    const seq = this.nextSeq;
    const pending: Pending = { request, size, seq, id: this.idPrefix + seq.toString(36), done };
    const dropped = this.outbox.push(pending);
    this.nextSeq += 1;
    this.log?.append(pending);
    return dropped;
  }

  /** The next message to send, oldest first. */
  next(): Pending | undefined {
    return this.outbox.shift();
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
    const leftOver = this.where.kind === 'memory-fallback' ? this.where.directory : undefined;
    const deleted = log ? log.destroy() : leftOver ? fs.promises.rm(leftOver, { recursive: true, force: true }) : Promise.resolve();
    return { messages, deleted: deleted.catch(() => undefined) };
  }

  private openStore(directory: string, options: QueueOptions): void {
    let recovered: Recovered;
    try {
      recovered = recoverStore(directory);
    } catch (error) {
      this.fallBack(directory, error as NodeJS.ErrnoException);
      this.report = { recovered: 0, tornBytes: 0, corrupt: 0, failed: this.where };
      return;
    }
    this.report = { recovered: recovered.messages.length, tornBytes: recovered.tornBytes, corrupt: recovered.corrupt };
    this.nextSeq = recovered.lastSeq + 1;
    for (const message of recovered.messages) {
      const request: PublishRequest = { topic: message.topic, payload: message.payload, qos: message.qos, retain: message.retain, properties: message.properties,
        ...(message.expiresAt !== undefined ? { expiresAt: message.expiresAt } : {}) };
      this.outbox.push({ request, size: publishPacketSize(request, 5), seq: message.seq, id: message.id, done: noAnswer });
    }
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

  private fallBack(directory: string, error: NodeJS.ErrnoException): void {
    this.where = { kind: 'memory-fallback', directory, code: error.code ?? 'EIO', reason: error.message };
    this.emit('storage', this.where);
  }
}
