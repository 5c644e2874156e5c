/**
 * Reading a store back when Node-RED starts: every whole record of every segment, the
 * messages not yet confirmed in their original order, a torn tail cut off, damaged
 * records skipped and counted. Nothing found on disk stops the start.
 */
import * as fs from 'fs';
import { scanRecords } from './framing';
import { decodeRecord, StoredMessage } from './record';
import { DIRECTORY_MODE, FILE_MODE, listSegments, segmentPath } from './segments';

export interface ClosedSegment {
  readonly number: number;
  readonly path: string;
  /** The highest message sequence number in it (0 when it holds none). */
  readonly lastSeq: number;
}

export interface Recovered {
  /** Unconfirmed messages, oldest first. */
  messages: StoredMessage[];
  /** Every message up to this sequence number was confirmed. */
  confirmedThrough: number;
  /** The highest sequence number on disk. */
  lastSeq: number;
  segments: ClosedSegment[];
  /** Bytes of torn or garbage tails cut off. */
  tornBytes: number;
  /** Damaged records skipped. */
  corrupt: number;
}

/** Creates the directory if needed and reads what it holds. Throws only if the directory cannot be read or made. */
export function recoverStore(directory: string): Recovered {
  fs.mkdirSync(directory, { recursive: true, mode: DIRECTORY_MODE });
  // A store an older version made is open to every local user: close it.
  restrict(directory, DIRECTORY_MODE);
  const found: StoredMessage[] = [];
  const segments: ClosedSegment[] = [];
  let confirmedThrough = 0;
  let lastSeq = 0;
  let tornBytes = 0;
  let corrupt = 0;
  for (const number of listSegments(directory)) {
    const file = segmentPath(directory, number);
    restrict(file, FILE_MODE);
    const data = fs.readFileSync(file);
    const scan = scanRecords(data);
    corrupt += scan.corrupt;
    if (scan.tornBytes > 0) {
      tornBytes += scan.tornBytes;
      cutTail(file, scan.goodEnd);
    }
    let segmentLast = 0;
    for (const body of scan.bodies) {
      let record;
      try {
        record = decodeRecord(body);
      } catch {
        corrupt += 1;
        continue;
      }
      if (record.kind === 'confirmed') {
        confirmedThrough = Math.max(confirmedThrough, record.through);
      } else {
        found.push(record.message);
        segmentLast = Math.max(segmentLast, record.message.seq);
      }
    }
    lastSeq = Math.max(lastSeq, segmentLast);
    segments.push({ number, path: file, lastSeq: segmentLast });
  }
  const messages = found.filter((message) => message.seq > confirmedThrough).sort((a, b) => a.seq - b.seq);
  return { messages, confirmedThrough, lastSeq: Math.max(lastSeq, confirmedThrough), segments, tornBytes, corrupt };
}

function cutTail(file: string, length: number): void {
  try {
    fs.truncateSync(file, length);
  } catch {
    // A read-only disk keeps its tail; the next start finds and skips it again.
  }
}

function restrict(file: string, mode: number): void {
  try {
    fs.chmodSync(file, mode);
  } catch {
    // Not the owner, or a read-only disk: the store is read as it is.
  }
}
