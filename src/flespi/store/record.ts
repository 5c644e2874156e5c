/**
 * What the outbox writes in a record body: a message with its sequence number and id,
 * or the mark that every message up to a sequence number is confirmed.
 */
import type { PublishProperties } from '../message';

export interface StoredMessage {
  /** Position in the outbox's order; grows by one per accepted message. */
  readonly seq: number;
  /** Stable across resends, redeploys and restarts: sent as the `message-id` user property. */
  readonly id: string;
  readonly topic: string;
  readonly payload: Buffer | string;
  readonly qos: 0 | 1;
  readonly retain: boolean;
  readonly properties?: PublishProperties;
  /** The deadline of a message with an expiry, ms since the epoch (src/flespi/message-expiry.ts). */
  readonly expiresAt?: number;
}

export type StoredRecord = { kind: 'message'; message: StoredMessage } | { kind: 'confirmed'; through: number };

const MESSAGE = 1;
const CONFIRMED = 2;
const SEQ_BYTES = 6;
/** Flag bits after the sequence number: QoS 1, retain, and a deadline (a float64 LE, ms) following the flags. */
const RETAIN_FLAG = 2;
const DEADLINE_FLAG = 4;
const DEADLINE_BYTES = 8;

/** Kind, sequence number, flags, and the length fields of id, topic and properties. */
const FIXED_BYTES = 1 + SEQ_BYTES + 1 + 1 + 2 + 4;

/** The size of a message's record body, without encoding it (the id at `idBytes`). */
export function messageBodyBytes(request: Pick<StoredMessage, 'topic' | 'payload' | 'properties' | 'expiresAt'>, idBytes: number): number {
  const properties = request.properties ? Buffer.byteLength(JSON.stringify(request.properties)) : 0;
  const payload = typeof request.payload === 'string' ? Buffer.byteLength(request.payload, 'utf8') : request.payload.length;
  const deadline = request.expiresAt !== undefined ? DEADLINE_BYTES : 0;
  return FIXED_BYTES + deadline + idBytes + Buffer.byteLength(request.topic) + properties + payload;
}

export function encodeMessage(message: StoredMessage): Buffer {
  const id = Buffer.from(message.id);
  const topic = Buffer.from(message.topic);
  const properties = message.properties ? Buffer.from(JSON.stringify(message.properties)) : EMPTY;
  const payload = typeof message.payload === 'string' ? Buffer.from(message.payload, 'utf8') : message.payload;
  if (id.length > 255) throw new Error('a message id is at most 255 bytes');
  const deadline = message.expiresAt !== undefined;
  const body = Buffer.allocUnsafe(
    FIXED_BYTES + (deadline ? DEADLINE_BYTES : 0) + id.length + topic.length + properties.length + payload.length,
  );
  let at = body.writeUInt8(MESSAGE, 0);
  at = body.writeUIntLE(message.seq, at, SEQ_BYTES);
  at = body.writeUInt8(message.qos | (message.retain ? RETAIN_FLAG : 0) | (deadline ? DEADLINE_FLAG : 0), at);
  if (message.expiresAt !== undefined) at = body.writeDoubleLE(message.expiresAt, at);
  at = body.writeUInt8(id.length, at);
  at += id.copy(body, at);
  at = body.writeUInt16LE(topic.length, at);
  at += topic.copy(body, at);
  at = body.writeUInt32LE(properties.length, at);
  at += properties.copy(body, at);
  payload.copy(body, at);
  return body;
}

export function encodeConfirmed(through: number): Buffer {
  const body = Buffer.allocUnsafe(1 + SEQ_BYTES);
  body.writeUInt8(CONFIRMED, 0);
  body.writeUIntLE(through, 1, SEQ_BYTES);
  return body;
}

/** Decodes a body whose CRC matched; throws on a layout this version does not know. */
export function decodeRecord(body: Buffer): StoredRecord {
  const kind = body.readUInt8(0);
  if (kind === CONFIRMED) return { kind: 'confirmed', through: body.readUIntLE(1, SEQ_BYTES) };
  if (kind !== MESSAGE) throw new Error(`unknown record type ${kind}`);
  let at = 1;
  const seq = body.readUIntLE(at, SEQ_BYTES);
  at += SEQ_BYTES;
  const flags = body.readUInt8(at++);
  const expiresAt = flags & DEADLINE_FLAG ? body.readDoubleLE(at) : undefined;
  if (expiresAt !== undefined) at += DEADLINE_BYTES;
  const idLength = body.readUInt8(at++);
  const id = body.toString('utf8', at, (at += idLength));
  const topicLength = body.readUInt16LE(at);
  at += 2;
  const topic = body.toString('utf8', at, (at += topicLength));
  const propertiesLength = body.readUInt32LE(at);
  at += 4;
  if (at + propertiesLength > body.length) throw new Error('record shorter than its fields');
  const properties = propertiesLength > 0 ? (JSON.parse(body.toString('utf8', at, at + propertiesLength)) as PublishProperties) : undefined;
  at += propertiesLength;
  const message: StoredMessage = {
    seq,
    id,
    topic,
    payload: Buffer.from(body.subarray(at)),
    qos: (flags & 1) as 0 | 1,
    retain: (flags & RETAIN_FLAG) !== 0,
    ...(properties ? { properties } : {}),
    ...(expiresAt !== undefined ? { expiresAt } : {}),
  };
  return { kind: 'message', message };
}

const EMPTY = Buffer.alloc(0);
