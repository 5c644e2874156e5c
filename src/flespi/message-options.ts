/** Publish options a message may carry: its QoS and its MQTT 5 properties. */
import type { PublishProperties } from './message';
import { checkPropertyText, enforce } from '../field-rules';

/** Reads msg.messageExpiryInterval, msg.contentType and msg.userProperties, refusing values MQTT cannot send. */
export function messageProperties(msg: Record<string, unknown>): PublishProperties | undefined {
  // Most readings carry none: answer them without building anything.
  if (msg.messageExpiryInterval === undefined && msg.contentType === undefined && msg.userProperties === undefined) return undefined;
  const properties: PublishProperties = {};
  if (msg.messageExpiryInterval !== undefined) {
    const seconds = Number(msg.messageExpiryInterval);
    if (!Number.isInteger(seconds) || seconds < 0 || seconds > 0xffffffff) {
      throw new Error('msg.messageExpiryInterval must be a whole number of seconds');
    }
    properties.messageExpiryInterval = seconds;
  }
  if (msg.contentType !== undefined) {
    if (typeof msg.contentType !== 'string') throw new Error('msg.contentType must be a string');
    enforce(checkPropertyText(msg.contentType, 'msg.contentType'));
    properties.contentType = msg.contentType;
  }
  if (msg.userProperties !== undefined) {
    const given = msg.userProperties;
    if (given === null || typeof given !== 'object' || Array.isArray(given)) {
      throw new Error('msg.userProperties must be an object of names and string values');
    }
    const userProperties: Record<string, string | string[]> = {};
    for (const [name, value] of Object.entries(given)) {
      // Defined, not assigned: `__proto__` is then a name like any other rather than lost to the prototype setter.
      Object.defineProperty(userProperties, name, {
        value: userPropertyValue(name, value),
        enumerable: true,
        writable: true,
        configurable: true,
      });
    }
    properties.userProperties = userProperties;
  }
  return Object.keys(properties).length > 0 ? properties : undefined;
}

function userPropertyValue(name: string, value: unknown): string | string[] {
  enforce(checkPropertyText(name, 'a name in msg.userProperties'));
  const field = `msg.userProperties.${name.length > 40 ? `${name.slice(0, 40)}…` : name}`;
  const text = (one: unknown) => {
    const written = String(one);
    enforce(checkPropertyText(written, field));
    return written;
  };
  return Array.isArray(value) ? value.map(text) : text(value);
}

/** The node's QoS, or msg.qos when the node leaves it open. flespi offers QoS 0 and 1. */
export function publishQos(nodeQos: number | string | undefined, msgQos: unknown): 0 | 1 {
  const wanted = (nodeQos === '' || nodeQos === undefined) && msgQos !== undefined ? msgQos : (nodeQos ?? 1);
  const qos = Number(wanted);
  if (qos === 0 || qos === 1) return qos;
  const shown = typeof wanted === 'string' || typeof wanted === 'number' ? wanted : JSON.stringify(wanted);
  throw new Error(`QoS ${shown} is not offered by flespi: use 0 or 1`);
}
