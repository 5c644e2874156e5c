/**
 * A PUBLISH packet encoded in one buffer, with the message's id as its last user
 * property (MQTT 3.1.1 section 3.3; MQTT 5.0 sections 1.5, 2.2.2 and 3.3).
 *
 * The outbox is the store of every message until its PUBACK, so the connection writes
 * these bytes itself rather than through MQTT.js's `publish`, which would copy each packet
 * into a store of its own and write it a field at a time (see docs/ARCHITECTURE.md).
 */
import type { PublishProperties, PublishRequest } from './connection';
import { payloadBytes, variableByteIntegerSize } from './packet-size';

/** MQTT 5 property identifiers (section 2.2.2.2). */
const MESSAGE_EXPIRY_INTERVAL = 0x02;
const CONTENT_TYPE = 0x03;
const USER_PROPERTY = 0x26;

const PUBLISH = 0x30;
const MAX_STRING_BYTES = 0xffff;
/** The largest Remaining Length four bytes can say (section 1.5.5). */
const MAX_REMAINING_LENGTH = 268_435_455;

/**
 * The packet's bytes; `packetId` (1 to 65535) is sent at QoS 1 only. With MQTT 5 and an
 * `id`, the id goes as the last user property, `id.name`, replacing any property of that
 * name the message brought.
 */
export function encodePublish(fields: PublishRequest, packetId: number, protocolVersion: 4 | 5, id?: { name: string; value: string }): Buffer {
  const { topic, payload, qos, retain } = fields;
  if (qos > 0 && !(Number.isInteger(packetId) && packetId >= 1 && packetId <= 0xffff)) throw new Error(`packet id ${packetId} is not between 1 and 65535`);
  const v5 = protocolVersion === 5;
  const given = v5 ? fields.properties : undefined;
  const skipped = id?.name;
  const idBytes = v5 && id ? userPropertyBytes(id.name, id.value) : 0;
  const propertiesBytes = (given ? givenPropertiesBytes(given, skipped) : 0) + idBytes;
  const topicBytes = stringBytes(topic, 'topic');
  const remaining = 2 + topicBytes + (qos > 0 ? 2 : 0)
    + (v5 ? variableByteIntegerSize(propertiesBytes) + propertiesBytes : 0)
    + payloadBytes(payload);
  if (remaining > MAX_REMAINING_LENGTH) throw new Error(`the message is ${remaining} bytes; an MQTT packet holds at most ${MAX_REMAINING_LENGTH}`);
  const packet = Buffer.allocUnsafe(1 + variableByteIntegerSize(remaining) + remaining);
  let at = packet.writeUInt8(PUBLISH | (qos << 1) | (retain ? 1 : 0), 0);
  at = writeVariableByteInteger(packet, at, remaining);
  at = writeString(packet, at, topic, topicBytes);
  if (qos > 0) at = packet.writeUInt16BE(packetId, at);
  if (v5) {
    at = writeVariableByteInteger(packet, at, propertiesBytes);
    if (given) at = writeGivenProperties(packet, at, given, skipped);
    if (id) at = writeUserProperty(packet, at, id.name, id.value);
  }
  if (typeof payload === 'string') packet.write(payload, at, 'utf8');
  else payload.copy(packet, at);
  return packet;
}

/** Each value of each user property the message brought, in order, less those named `skipped`. */
function* userProperties(given: PublishProperties, skipped: string | undefined): Generator<[string, string]> {
  for (const [name, value] of Object.entries(given.userProperties ?? {})) {
    if (name === skipped) continue;
    for (const one of Array.isArray(value) ? value : [value]) yield [name, one];
  }
}

function givenPropertiesBytes(given: PublishProperties, skipped: string | undefined): number {
  let bytes = 0;
  if (given.messageExpiryInterval !== undefined) bytes += 1 + 4;
  if (given.contentType !== undefined) bytes += 1 + 2 + stringBytes(given.contentType, 'content type');
  for (const [name, value] of userProperties(given, skipped)) bytes += userPropertyBytes(name, value);
  return bytes;
}

function writeGivenProperties(packet: Buffer, start: number, given: PublishProperties, skipped: string | undefined): number {
  let at = start;
  if (given.messageExpiryInterval !== undefined) {
    at = packet.writeUInt8(MESSAGE_EXPIRY_INTERVAL, at);
    at = packet.writeUInt32BE(given.messageExpiryInterval, at);
  }
  if (given.contentType !== undefined) {
    at = packet.writeUInt8(CONTENT_TYPE, at);
    at = writeString(packet, at, given.contentType, Buffer.byteLength(given.contentType, 'utf8'));
  }
  for (const [name, value] of userProperties(given, skipped)) at = writeUserProperty(packet, at, name, value);
  return at;
}

function userPropertyBytes(name: string, value: string): number {
  return 1 + 2 + stringBytes(name, 'user property name') + 2 + stringBytes(value, 'user property value');
}

function writeUserProperty(packet: Buffer, start: number, name: string, value: string): number {
  let at = packet.writeUInt8(USER_PROPERTY, start);
  at = writeString(packet, at, name, Buffer.byteLength(name, 'utf8'));
  return writeString(packet, at, value, Buffer.byteLength(value, 'utf8'));
}

function stringBytes(text: string, what: string): number {
  const bytes = Buffer.byteLength(text, 'utf8');
  if (bytes > MAX_STRING_BYTES) throw new Error(`the ${what} is ${bytes} bytes; MQTT strings hold at most ${MAX_STRING_BYTES}`);
  return bytes;
}

function writeString(packet: Buffer, start: number, text: string, bytes: number): number {
  const at = packet.writeUInt16BE(bytes, start);
  return at + packet.write(text, at, 'utf8');
}

/** Seven bits a byte, least significant first; the top bit says another byte follows (section 1.5.5). */
function writeVariableByteInteger(packet: Buffer, start: number, value: number): number {
  let at = start;
  let rest = value;
  do {
    let byte = rest % 128;
    rest = Math.floor(rest / 128);
    if (rest > 0) byte |= 0x80;
    packet[at++] = byte;
  } while (rest > 0);
  return at;
}
