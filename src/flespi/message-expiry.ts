/**
 * Message expiry: a reading not delivered within its expiry is of no more use. MQTT 5 carries it
 * as the Message Expiry Interval (OASIS MQTT 5.0, section 3.3.2.3.3), which the broker counts
 * from the moment it receives the message. A reading waits in the outbox first, possibly through a
 * long outage, so the publisher counts that time too: the deadline is fixed when the message is
 * accepted, each send carries what is left of the interval, and a message whose deadline has
 * passed is not sent at all. MQTT 3.1.1 has no expiry on the wire; the outbox still drops it.
 */
import type { PublishProperties, PublishRequest } from './message';
import { checkMessageExpiry, enforce } from '../field-rules';

export const EXPIRED_REASON = 'expired: the message waited for the broker longer than its message expiry';

/**
 * The properties with the expiry a message asks for: msg.messageExpiry (seconds), else
 * msg.messageExpiryInterval (Node-RED's MQTT nodes' name, already read into `properties`), else
 * the node's default. 0 means none. Throws a RuleError for a value MQTT cannot carry.
 */
export function withMessageExpiry(
  properties: PublishProperties | undefined,
  msg: Record<string, unknown>,
  nodeDefaultSeconds: number | undefined,
): PublishProperties | undefined {
  let seconds = properties?.messageExpiryInterval ?? nodeDefaultSeconds;
  if (msg.messageExpiry !== undefined) {
    enforce(checkMessageExpiry(msg.messageExpiry, false));
    seconds = Number(msg.messageExpiry);
  }
  if (seconds === properties?.messageExpiryInterval && seconds !== 0) return properties;
  const others: PublishProperties = { ...properties };
  delete others.messageExpiryInterval;
  const result: PublishProperties = seconds ? { ...others, messageExpiryInterval: seconds } : others;
  return Object.keys(result).length > 0 ? result : undefined;
}

/** The request with its deadline (wall-clock ms, so that it holds across a restart), if it has an expiry. */
export function withExpiryDeadline(request: PublishRequest, now = Date.now()): PublishRequest {
  const seconds = request.properties?.messageExpiryInterval;
  if (!seconds || request.expiresAt !== undefined) return request;
  return { ...request, expiresAt: now + seconds * 1000 };
}

/** What to send now: the request with the seconds it has left, or undefined once its deadline has passed. */
export function requestToSend(request: PublishRequest, now = Date.now()): PublishRequest | undefined {
  const { expiresAt, properties } = request;
  if (expiresAt === undefined || properties?.messageExpiryInterval === undefined) return request;
  if (expiresAt <= now) return undefined;
  const left = Math.ceil((expiresAt - now) / 1000);
  if (left >= properties.messageExpiryInterval) return request;
  // Field by field: a queued message (src/flespi/pending.ts) keeps QoS and retain behind getters, which a spread leaves out.
  const { topic, payload, qos, retain } = request;
  return { topic, payload, qos, retain, properties: { ...properties, messageExpiryInterval: left }, expiresAt };
}
