/**
 * The size in bytes of a PUBLISH packet, computed from the MQTT specification
 * (3.1.1 section 3.3; 5.0 sections 2.2.2 and 3.3.2.3) so that a message larger than
 * the broker's Maximum Packet Size is refused before it is sent: the broker would
 * otherwise drop the whole connection.
 */
export interface PublishShape {
  topic: string;
  /** Bytes, or text sent as UTF-8. */
  payload: Buffer | string;
  qos: number;
  properties?: {
    messageExpiryInterval?: number;
    contentType?: string;
    payloadFormatIndicator?: boolean;
    topicAlias?: number;
    userProperties?: Record<string, string | string[]>;
  };
}

/** A user property sent last, in place of any of the same name the message brings: the message id. */
export interface AddedUserProperty {
  name: string;
  value: string;
}

/** The lengths a PUBLISH packet is laid out with, in bytes. */
export interface PublishLayout {
  topicBytes: number;
  /** The MQTT 5 properties, less their own length field; 0 with MQTT 3.1.1. */
  propertiesBytes: number;
  /** Everything after the fixed header. */
  remaining: number;
  total: number;
}

export function publishLayout(shape: PublishShape, protocolVersion: 4 | 5, added?: AddedUserProperty): PublishLayout {
  const topicBytes = Buffer.byteLength(shape.topic, 'utf8');
  let remaining = 2 + topicBytes + payloadBytes(shape.payload);
  if (shape.qos > 0) remaining += 2;
  let propertiesBytes = 0;
  if (protocolVersion === 5) {
    propertiesBytes = propertiesSize(shape.properties, added);
    remaining += variableByteIntegerSize(propertiesBytes) + propertiesBytes;
  }
  return { topicBytes, propertiesBytes, remaining, total: 1 + variableByteIntegerSize(remaining) + remaining };
}

/** The MQTT 5 user property that carries each message's id, the same on every resend. */
export const MESSAGE_ID_PROPERTY = 'message-id';
/** An id is 8 random base64url characters and the sequence number in base 36 (at most 10 digits below 2^48). */
export const MESSAGE_ID_MAX_LENGTH = 18;
const LONGEST_ID: AddedUserProperty = { name: MESSAGE_ID_PROPERTY, value: 'x'.repeat(MESSAGE_ID_MAX_LENGTH) };

/**
 * The size a message counts for in the outbox and against the broker's Maximum Packet Size, the
 * same whether it was accepted now or read back from disk: the PUBLISH as MQTT 5 with its id at the
 * longest. An MQTT 3.1.1 packet, without properties, is never larger.
 */
export function publishSize(shape: PublishShape): number {
  return publishLayout(shape, 5, LONGEST_ID).total;
}

export function publishPacketSize(shape: PublishShape, protocolVersion: 4 | 5): number {
  return publishLayout(shape, protocolVersion).total;
}

function propertiesSize(properties: PublishShape['properties'], added: AddedUserProperty | undefined): number {
  let size = added ? userPropertySize(added.name, added.value) : 0;
  if (!properties) return size;
  if (properties.payloadFormatIndicator !== undefined) size += 1 + 1;
  if (properties.messageExpiryInterval !== undefined) size += 1 + 4;
  if (properties.topicAlias !== undefined) size += 1 + 2;
  if (properties.contentType !== undefined) size += 1 + utf8StringSize(properties.contentType);
  for (const [name, value] of Object.entries(properties.userProperties ?? {})) {
    if (name === added?.name) continue;
    for (const one of Array.isArray(value) ? value : [value]) size += userPropertySize(name, one);
  }
  return size;
}

function userPropertySize(name: string, value: string): number {
  return 1 + utf8StringSize(name) + utf8StringSize(value);
}

function utf8StringSize(text: string): number {
  return 2 + Buffer.byteLength(text, 'utf8');
}

function variableByteIntegerSize(value: number): number {
  if (value < 128) return 1;
  if (value < 16_384) return 2;
  if (value < 2_097_152) return 3;
  return 4;
}

export function payloadBytes(payload: Buffer | string): number {
  return typeof payload === 'string' ? Buffer.byteLength(payload, 'utf8') : payload.length;
}
