/**
 * One record on disk: a two-byte mark, the body's length and a CRC-32 of length and
 * body, then the body. The mark lets a reader find the next record after damage; the
 * CRC tells a whole record from a torn or garbled one (as LevelDB's log does).
 */
import { crc32 } from './crc32';

const MARK_0 = 0xf1;
const MARK_1 = 0x5e;
export const HEADER_BYTES = 10;
/** No record is larger: a length beyond it is damage, not data. */
export const MAX_BODY_BYTES = 64 * 1024 * 1024;

export function frame(body: Buffer): Buffer {
  const record = Buffer.allocUnsafe(HEADER_BYTES + body.length);
  record[0] = MARK_0;
  record[1] = MARK_1;
  record.writeUInt32LE(body.length, 2);
  body.copy(record, HEADER_BYTES);
  record.writeUInt32LE(checksum(record, 2, body.length), 6);
  return record;
}

export interface Scan {
  /** The bodies of the whole records, in file order. */
  bodies: Buffer[];
  /** Where the last whole record ends: the file is good up to here. */
  goodEnd: number;
  /** Bytes after `goodEnd` that form no record: a write cut short, or garbage. */
  tornBytes: number;
  /** Damaged stretches between whole records, each skipped. */
  corrupt: number;
}

/** Reads every whole record of a segment, skipping damage in the middle and stopping before a torn tail. */
export function scanRecords(data: Buffer): Scan {
  const bodies: Buffer[] = [];
  let offset = 0;
  let corrupt = 0;
  while (offset < data.length) {
    const length = recordLength(data, offset);
    if (length >= 0) {
      bodies.push(data.subarray(offset + HEADER_BYTES, offset + HEADER_BYTES + length));
      offset += HEADER_BYTES + length;
      continue;
    }
    const next = nextRecord(data, offset + 1);
    if (next < 0) break;
    corrupt += 1;
    offset = next;
  }
  return { bodies, goodEnd: offset, tornBytes: data.length - offset, corrupt };
}

/** The body length of a whole, intact record at `offset`, or -1. */
function recordLength(data: Buffer, offset: number): number {
  if (data.length - offset < HEADER_BYTES || data[offset] !== MARK_0 || data[offset + 1] !== MARK_1) return -1;
  const length = data.readUInt32LE(offset + 2);
  if (length > MAX_BODY_BYTES || offset + HEADER_BYTES + length > data.length) return -1;
  return checksum(data, offset + 2, length) === data.readUInt32LE(offset + 6) ? length : -1;
}

function nextRecord(data: Buffer, from: number): number {
  const mark = Buffer.from([MARK_0, MARK_1]);
  for (let at = data.indexOf(mark, from); at >= 0; at = data.indexOf(mark, at + 1)) {
    if (recordLength(data, at) >= 0) return at;
  }
  return -1;
}

/** CRC-32 of the four length bytes at `lengthAt` followed by the body after the header. */
function checksum(data: Buffer, lengthAt: number, length: number): number {
  const bodyAt = lengthAt + 8;
  return crc32(data.subarray(bodyAt, bodyAt + length), crc32(data.subarray(lengthAt, lengthAt + 4)));
}
