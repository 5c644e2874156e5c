/**
 * The outbox's write-behind log. Messages are kept in memory as before; the log makes
 * them survive a restart or a power cut. Appends are group-committed: whatever was
 * accepted in the last SYNC_INTERVAL_MS is written in one write and one fdatasync, so a
 * power cut can take at most that much. A message the broker confirmed before its batch
 * was written is never written at all, so a healthy connection costs the SD card nothing.
 */
import { EventEmitter } from 'events';
import { performance } from 'perf_hooks';
import * as fs from 'fs';
import { frame } from './framing';
import { diskFiles, AppendFile, StoreFiles } from './files';
import { encodeConfirmed, encodeMessage, StoredMessage } from './record';
import { ClosedSegment, Recovered } from './recovery';
import { segmentPath } from './segments';

/** The longest a message accepted by the outbox waits before it is on disk, plus the disk's own sync time. */
export const SYNC_INTERVAL_MS = 100;
/**
 * A message accepted this recently is left for the next commit, which is still within its
 * SYNC_INTERVAL_MS: its PUBACK is probably on the way, and then it need never be written.
 * Readings that arrive in step with the commits would otherwise be written every time.
 */
export const YOUNG_MS = 20;
/** A segment is closed once it is this large; it is deleted when every message in it is confirmed. */
export const SEGMENT_BYTES = 1024 * 1024;

export interface LogOptions {
  /** Every message up to this sequence number is confirmed (or given up): asked at each commit. */
  confirmedThrough(): number;
  files?: StoreFiles;
  syncIntervalMs?: number;
  segmentBytes?: number;
}

export interface LogEvents {
  /** Writing failed: the log stops and the outbox carries on in memory. Emitted once. */
  unavailable: [NodeJS.ErrnoException];
}

export interface LogStats {
  bytesWritten: number;
  syncs: number;
}

interface ActiveSegment {
  readonly number: number;
  readonly path: string;
  readonly file: AppendFile;
  /** Bytes known to be whole records; a failed append is cut back to here. */
  size: number;
  lastSeq: number;
}

export class OutboxLog extends EventEmitter<LogEvents> {
  readonly stats: LogStats = { bytesWritten: 0, syncs: 0 };
  private readonly files: StoreFiles;
  private readonly syncIntervalMs: number;
  private readonly segmentBytes: number;
  private readonly closed: ClosedSegment[];
  private pending: StoredMessage[] = [];
  /** When each pending message was accepted (performance.now()). */
  private pendingSince: number[] = [];
  private active: ActiveSegment | undefined;
  private nextSegment: number;
  /** The confirmation mark last written. */
  private persistedThrough: number;
  /** The highest sequence number written. */
  private writtenThrough: number;
  private timer: NodeJS.Timeout | undefined;
  private committing: Promise<void> | undefined;
  private failure: NodeJS.ErrnoException | undefined;
  private shut = false;
  /** Confirmations arrived since the last commit asked how far the queue is confirmed. */
  private progressed = false;

  constructor(
    readonly directory: string,
    recovered: Recovered,
    private readonly options: LogOptions,
  ) {
    super();
    this.files = options.files ?? diskFiles;
    this.syncIntervalMs = options.syncIntervalMs ?? SYNC_INTERVAL_MS;
    this.segmentBytes = options.segmentBytes ?? SEGMENT_BYTES;
    this.closed = [...recovered.segments];
    this.nextSegment = (recovered.segments.at(-1)?.number ?? 0) + 1;
    this.persistedThrough = recovered.confirmedThrough;
    this.writtenThrough = recovered.lastSeq;
    if (this.closed.length > 0) this.schedule();
  }

  /** Why the log stopped writing, if it did. */
  get failed(): NodeJS.ErrnoException | undefined {
    return this.failure;
  }

  append(message: StoredMessage): void {
    if (this.failure || this.shut) return;
    this.pending.push(message);
    this.pendingSince.push(performance.now());
    if (this.timer === undefined && this.committing === undefined) this.schedule();
  }

  /** Messages were confirmed: the log may write the mark or delete segments at its next commit. */
  progress(): void {
    this.progressed = true;
    // A commit under way, or one already due, takes care of it (see commitOnce).
    if (this.timer !== undefined || this.committing !== undefined) return;
    if (this.hasFilesToSettle()) this.schedule();
  }

  /** Commits now whatever is waiting. */
  async flush(): Promise<void> {
    clearTimeout(this.timer);
    this.timer = undefined;
    while (this.committing) await this.committing;
    await this.commitOnce(true);
  }

  /** Commits what is waiting and closes the file; the directory stays for the next start. */
  async close(): Promise<void> {
    await this.flush();
    this.shut = true;
    await this.closeActive();
  }

  /**
   * Commits what is waiting and closes the file, but stays open: a queue parked between two
   * deploys holds no file handle, and its next message starts a new segment.
   */
  async rest(): Promise<void> {
    await this.flush();
    await this.closeActive();
  }

  /** Closes and deletes the whole store. */
  async destroy(): Promise<void> {
    this.shut = true;
    clearTimeout(this.timer);
    this.timer = undefined;
    while (this.committing) await this.committing;
    this.pending = [];
    this.pendingSince = [];
    await this.closeActive();
    await fs.promises.rm(this.directory, { recursive: true, force: true });
  }

  /** The next commit: when the oldest message waiting is due, or one interval from now. */
  private schedule(): void {
    const oldest = this.pendingSince[0];
    const delay = oldest === undefined ? this.syncIntervalMs : Math.max(0, oldest + this.syncIntervalMs - performance.now());
    this.timer = setTimeout(() => {
      this.timer = undefined;
      void this.commitOnce(false);
    }, delay);
  }

  private commitOnce(everything: boolean): Promise<void> {
    const run = this.commit(everything).finally(() => {
      this.committing = undefined;
      if (this.failure || this.shut || this.timer !== undefined) return;
      // Messages still to write, or confirmations that came while this commit ran.
      if (this.pending.length > 0 || (this.progressed && this.hasFilesToSettle())) this.schedule();
    });
    this.committing = run;
    return run;
  }

  /** Takes the messages to write now: all of them, or all but those accepted in the last YOUNG_MS. */
  private takeDue(everything: boolean): StoredMessage[] {
    let count = this.pending.length;
    if (!everything) {
      const youngFrom = performance.now() - YOUNG_MS;
      while (count > 0 && this.pendingSince[count - 1] > youngFrom) count -= 1;
    }
    const due = this.pending.slice(0, count);
    this.pending = this.pending.slice(count);
    this.pendingSince = this.pendingSince.slice(count);
    return due;
  }

  private async commit(everything: boolean): Promise<void> {
    if (this.failure) return;
    this.progressed = false;
    const through = this.options.confirmedThrough();
    const batch = this.takeDue(everything).filter((message) => message.seq > through);
    try {
      if (batch.length === 0 && through >= this.writtenThrough) {
        // Everything written is confirmed: no mark to write, every file can go.
        this.persistedThrough = Math.max(this.persistedThrough, through);
        await this.closeActive();
        await this.removeSegments(through);
        return;
      }
      const records: Buffer[] = [];
      if (through > this.persistedThrough) records.push(frame(encodeConfirmed(through)));
      for (const message of batch) records.push(frame(encodeMessage(message)));
      if (records.length > 0) await this.write(Buffer.concat(records), batch.at(-1)?.seq ?? 0);
      this.persistedThrough = Math.max(this.persistedThrough, through);
      if (batch.length > 0) this.writtenThrough = Math.max(this.writtenThrough, batch[batch.length - 1].seq);
      await this.removeSegments(through);
    } catch (error) {
      await this.fail(error as NodeJS.ErrnoException);
    }
  }

  private async write(data: Buffer, lastSeq: number): Promise<void> {
    const segment = this.active ?? (await this.startSegment());
    try {
      await segment.file.append(data);
      await segment.file.datasync();
    } catch (error) {
      // Cut the partial record off before anything else lands behind it.
      await segment.file.truncate(segment.size).catch(() => undefined);
      throw error;
    }
    this.stats.syncs += 1;
    this.stats.bytesWritten += data.length;
    segment.size += data.length;
    segment.lastSeq = Math.max(segment.lastSeq, lastSeq);
    if (segment.size >= this.segmentBytes) {
      this.active = undefined;
      this.closed.push({ number: segment.number, path: segment.path, lastSeq: segment.lastSeq });
      await segment.file.close();
    }
  }

  private async startSegment(): Promise<ActiveSegment> {
    const number = this.nextSegment++;
    const path = segmentPath(this.directory, number);
    const file = await this.files.create(path);
    this.active = { number, path, file, size: 0, lastSeq: 0 };
    await this.files.syncDirectory(this.directory);
    this.stats.syncs += 1;
    return this.active;
  }

  /** Whether something on disk may need a confirmation mark or may be deleted. */
  private hasFilesToSettle(): boolean {
    return (
      !this.failure && !this.shut && (this.writtenThrough > this.persistedThrough || this.closed.length > 0 || this.active !== undefined)
    );
  }

  /** Deletes closed segments whose every message is confirmed. */
  private async removeSegments(through: number): Promise<void> {
    while (this.closed.length > 0 && this.closed[0].lastSeq <= through) {
      const segment = this.closed[0];
      await this.files.remove(segment.path);
      this.closed.shift();
    }
  }

  /** Closes the active segment and counts it as closed, so that it is deleted with the rest. */
  private async closeActive(): Promise<void> {
    const segment = this.active;
    if (!segment) return;
    this.active = undefined;
    this.closed.push({ number: segment.number, path: segment.path, lastSeq: segment.lastSeq });
    await segment.file.close().catch(() => undefined);
  }

  private async fail(error: NodeJS.ErrnoException): Promise<void> {
    if (this.failure) return;
    this.failure = error;
    this.pending = [];
    this.pendingSince = [];
    clearTimeout(this.timer);
    this.timer = undefined;
    const segment = this.active;
    this.active = undefined;
    if (segment) await segment.file.close().catch(() => undefined);
    this.emit('unavailable', error);
  }
}
