/**
 * A PUBLISH packet encoded in one buffer, with the message's id as its last user
 * property (MQTT 3.1.1 section 3.3; MQTT 5.0 sections 1.5, 2.2.2 and 3.3).
 *
 * The outbox is the store of every message until its PUBACK, so the connection writes
 * these bytes itself rather than through MQTT.js's `publish`, which would copy each packet
 * into a store of its own and write it a field at a time (see docs/ARCHITECTURE.md).
 */
import type { PublishProperties, PublishRequest } from './message';
import { AddedUserProperty, publishLayout } from './packet-size';

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
export function encodePublish(fields: PublishRequest, packetId: number, protocolVersion: 4 | 5, id?: AddedUserProperty): Buffer {
  const { topic, payload, qos, retain } = fields;
  if (qos > 0 && !(Number.isInteger(packetId) && packetId >= 1 && packetId <= 0xffff))
    throw new Error(`packet id ${packetId} is not between 1 and 65535`);
  const { remaining, propertiesBytes, total } = publishLayout(fields, protocolVersion, id);
  if (remaining > MAX_REMAINING_LENGTH)
    throw new Error(`the message is ${remaining} bytes; an MQTT packet holds at most ${MAX_REMAINING_LENGTH}`);
  const packet = Buffer.allocUnsafe(total);
  let at = packet.writeUInt8(PUBLISH | (qos << 1) | (retain ? 1 : 0), 0);
  at = writeVariableByteInteger(packet, at, remaining);
  at = writeString(packet, at, topic, 'topic');
  if (qos > 0) at = packet.writeUInt16BE(packetId, at);
  if (protocolVersion === 5) {
    at = writeVariableByteInteger(packet, at, propertiesBytes);
    if (fields.properties) at = writeGivenProperties(packet, at, fields.properties, id?.name);
    if (id) at = writeUserProperty(packet, at, id.name, id.value);
  }
  if (typeof payload === 'string') packet.write(payload, at, 'utf8');
  else payload.copy(packet, at);
  return packet;
}

function writeGivenProperties(packet: Buffer, start: number, given: PublishProperties, skipped: string | undefined): number {
  let at = start;
  if (given.messageExpiryInterval !== undefined) {
    at = packet.writeUInt8(MESSAGE_EXPIRY_INTERVAL, at);
    at = packet.writeUInt32BE(given.messageExpiryInterval, at);
  }
  if (given.contentType !== undefined) {
    at = packet.writeUInt8(CONTENT_TYPE, at);
    at = writeString(packet, at, given.contentType, 'content type');
  }
  for (const [name, value] of Object.entries(given.userProperties ?? {})) {
    if (name === skipped) continue;
    for (const one of Array.isArray(value) ? value : [value]) at = writeUserProperty(packet, at, name, one);
  }
  return at;
}

function writeUserProperty(packet: Buffer, start: number, name: string, value: string): number {
  const at = writeString(packet, packet.writeUInt8(USER_PROPERTY, start), name, 'user property name');
  return writeString(packet, at, value, 'user property value');
}

/** A two-byte length, then the UTF-8 text (the packet was sized by publishLayout). */
function writeString(packet: Buffer, start: number, text: string, what: string): number {
  const bytes = packet.write(text, start + 2, 'utf8');
  if (bytes > MAX_STRING_BYTES) throw new Error(`the ${what} is ${bytes} bytes; MQTT strings hold at most ${MAX_STRING_BYTES}`);
  packet.writeUInt16BE(bytes, start);
  return start + 2 + bytes;
}

/** Seven bits a byte, least significant first; the top bit says another byte follows (section 1.5.5). */
export function writeVariableByteInteger(packet: Buffer, start: number, value: number): number {
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
