/**
 * What goes on the wire for a message's payload: objects as JSON, strings and
 * Buffers as they are. Readings keep flespi's conventions (timestamp in seconds).
 * Text stays a string: MQTT.js writes it to the socket as UTF-8 without a copy.
 */
import { RuleError } from '../field-rules';

/** A Unix time above this is in milliseconds: in seconds it would be past the year 5000. */
const MILLISECONDS_THRESHOLD = 1e11;

export function encodePayload(payload: unknown): Buffer | string {
  if (Buffer.isBuffer(payload)) return payload;
  if (payload instanceof Uint8Array) return Buffer.from(payload);
  if (typeof payload === 'string') return payload;
  if (typeof payload === 'number' || typeof payload === 'boolean' || typeof payload === 'bigint') {
    return String(payload);
  }
  if (payload === undefined || payload === null) {
    throw new Error('msg.payload is empty: there is nothing to publish');
  }
  if (typeof payload === 'object') return toJson(withFlespiConventions(payload));
  throw new Error(`msg.payload is a ${typeof payload}, which cannot be published`);
}

/**
 * JSON text of an object, refusing what JSON.stringify would turn into something else without a word:
 * a toJSON() that gives nothing, and NaN or ±Infinity, which it writes as null (a failed sensor's NaN
 * would reach flespi as a reading of null).
 */
function toJson(value: unknown): string {
  const json = JSON.stringify(value) as string | undefined;
  if (json === undefined) throw new RuleError({ rule: 'payloadNoJson' });
  // Only text with a null in it can hide one: look closer then, and only then.
  if (json.includes('null')) JSON.stringify(value, refuseNotFinite);
  return json;
}

function refuseNotFinite(key: string, value: unknown): unknown {
  if (typeof value === 'number' && !Number.isFinite(value))
    throw new RuleError({ rule: 'payloadNotFinite', params: { value: String(value), key } });
  return value;
}

/**
 * flespi reads `timestamp` as Unix seconds (fractions allowed). A Date or a
 * millisecond count, as JavaScript produces, would land in the far future.
 */
function withFlespiConventions(payload: object): unknown {
  if (Array.isArray(payload)) return (payload as unknown[]).map((item) => (isPlainObject(item) ? withSecondsTimestamp(item) : item));
  return isPlainObject(payload) ? withSecondsTimestamp(payload) : payload;
}

function withSecondsTimestamp(item: Record<string, unknown>): Record<string, unknown> {
  const timestamp = item.timestamp;
  if (timestamp instanceof Date) return { ...item, timestamp: timestamp.getTime() / 1000 };
  if (typeof timestamp === 'number' && timestamp > MILLISECONDS_THRESHOLD) return { ...item, timestamp: timestamp / 1000 };
  return item;
}

function isPlainObject(value: unknown): value is Record<string, unknown> {
  return value !== null && typeof value === 'object' && !Array.isArray(value) && !Buffer.isBuffer(value);
}
