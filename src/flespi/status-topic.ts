/**
 * Whether the publisher is online, told on a topic of the user's choosing: `online`, retained,
 * after each CONNACK; `offline`, retained, as the CONNECT's will (the broker publishes it when
 * the connection dies without a DISCONNECT, OASIS MQTT 5.0 section 3.1.2.5) and before a clean
 * close. A subscriber, or flespi's retained view of the topic, then shows the last word.
 */
import { randomBytes } from 'crypto';
import type { IClientOptions } from 'mqtt';
import type { PublishRequest } from './message';

export const ONLINE = 'online';
export const OFFLINE = 'offline';

export type Status = typeof ONLINE | typeof OFFLINE;

/** The will for the CONNECT, or none when no status topic is set. */
export function statusWill(statusTopic: string | undefined): IClientOptions['will'] | undefined {
  if (!statusTopic) return undefined;
  return { topic: statusTopic, payload: Buffer.from(OFFLINE), qos: 1, retain: true };
}

/** A status message; `retain` is false only for a broker that keeps no retained messages. */
export function statusMessage(statusTopic: string, status: Status, retain = true): PublishRequest {
  return { topic: statusTopic, payload: status, qos: 1, retain };
}

/**
 * The `message-id` a status message carries: its own each time, so that a consumer dropping
 * repeated ids (resends of a reading) never drops the next `online`.
 */
export function statusMessageId(status: Status): string {
  return `${status}-${randomBytes(6).toString('base64url')}`;
}
