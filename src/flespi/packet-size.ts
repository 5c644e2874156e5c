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

export function publishPacketSize(shape: PublishShape, protocolVersion: 4 | 5): number {
  let remaining = 2 + Buffer.byteLength(shape.topic, 'utf8') + payloadBytes(shape.payload);
  if (shape.qos > 0) remaining += 2;
  if (protocolVersion === 5) {
    const properties = propertiesSize(shape.properties);
    remaining += variableByteIntegerSize(properties) + properties;
  }
  return 1 + variableByteIntegerSize(remaining) + remaining;
}

function propertiesSize(properties: PublishShape['properties']): number {
  if (!properties) return 0;
  let size = 0;
  if (properties.payloadFormatIndicator !== undefined) size += 1 + 1;
  if (properties.messageExpiryInterval !== undefined) size += 1 + 4;
  if (properties.topicAlias !== undefined) size += 1 + 2;
  if (properties.contentType !== undefined) size += 1 + utf8StringSize(properties.contentType);
  for (const [name, value] of Object.entries(properties.userProperties ?? {})) {
    for (const one of Array.isArray(value) ? value : [value]) {
      size += 1 + utf8StringSize(name) + utf8StringSize(one);
    }
  }
  return size;
}

function utf8StringSize(text: string): number {
  return 2 + Buffer.byteLength(text, 'utf8');
}

export function variableByteIntegerSize(value: number): number {
  if (value < 128) return 1;
  if (value < 16_384) return 2;
  if (value < 2_097_152) return 3;
  return 4;
}

export function payloadBytes(payload: Buffer | string): number {
  return typeof payload === 'string' ? Buffer.byteLength(payload, 'utf8') : payload.length;
}
