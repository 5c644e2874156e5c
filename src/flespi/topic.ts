/**
 * Topics for publishing to flespi: validation of a finished topic, and filling a
 * `sensors/{{ident}}/temperature` style template from a message.
 */
import { checkPublishTopic, enforce } from '../field-rules';

/** The topic used when neither the node nor the message names one and the payload is a reading. */
export const DEFAULT_READING_TOPIC = 'sensors/{{ident}}/temperature';

/** Throws a RuleError (src/field-rules.ts) naming what is wrong with a topic flespi would refuse or mis-route. */
export function validatePublishTopic(topic: unknown): string {
  enforce(checkPublishTopic(topic));
  return topic as string;
}

const PLACEHOLDER = /\{\{\s*([A-Za-z_$][\w$]*(?:\.[A-Za-z_$][\w$]*)*)\s*\}\}/g;

/** A topic template parsed once: filling it for a message is then a few lookups. */
export type TopicTemplate = (msg: Record<string, unknown>) => string;

/**
 * Parses a template such as `sensors/{{ident}}/temperature`. Each `{{name}}` is looked
 * up first in msg.payload (when it is an object) and then in the message itself, so
 * `{{ident}}` finds a reading's ident and `{{topic}}` the message topic. Dotted paths are
 * allowed. A value may not contain `/`, `+` or `#`: it would change the topic's structure.
 */
export function compileTopicTemplate(template: string): TopicTemplate {
  const parts: Array<string | string[]> = [];
  let end = 0;
  for (const match of template.matchAll(PLACEHOLDER)) {
    parts.push(template.slice(end, match.index), match[1].split('.'));
    end = (match.index ?? 0) + match[0].length;
  }
  parts.push(template.slice(end));
  return (msg) => {
    let topic = '';
    for (const part of parts) topic += typeof part === 'string' ? part : placeholderValue(part, msg);
    return topic;
  };
}

function placeholderValue(keys: string[], msg: Record<string, unknown>): string {
  const value = lookUp(msg.payload, keys) ?? lookUp(msg, keys);
  const path = keys.join('.');
  if (value === undefined || value === null || value === '') {
    throw new Error(`the topic template needs {{${path}}}, but the message has no ${path}`);
  }
  if (typeof value !== 'string' && typeof value !== 'number' && typeof value !== 'boolean') {
    throw new Error(`{{${path}}} in the topic template is an object, not a single value`);
  }
  const text = String(value);
  if (/[/+#]/.test(text)) {
    throw new Error(`{{${path}}} is "${text}", which contains "/", "+" or "#" and would change the topic's levels`);
  }
  return text;
}

function lookUp(root: unknown, keys: string[]): unknown {
  let current: unknown = root;
  for (const key of keys) {
    if (current === null || typeof current !== 'object' || !Object.prototype.hasOwnProperty.call(current, key)) {
      return undefined;
    }
    current = (current as Record<string, unknown>)[key];
  }
  return current;
}

const readingTopic = compileTopicTemplate(DEFAULT_READING_TOPIC);

/**
 * The topic rule of one node: its own topic (a template) wins, as in Node-RED's core
 * MQTT out node, then msg.topic, then the reading topic when the payload carries an ident.
 */
export function topicChooser(nodeTopic: string): (msg: Record<string, unknown>) => string {
  const own = nodeTopic.trim() === '' ? undefined : compileTopicTemplate(nodeTopic.trim());
  return (msg) => {
    let topic = '';
    if (own) topic = own(msg);
    else if (typeof msg.topic === 'string' && msg.topic !== '') topic = msg.topic;
    else if (lookUp(msg.payload, ['ident']) !== undefined) topic = readingTopic(msg);
    return validatePublishTopic(topic);
  };
}
