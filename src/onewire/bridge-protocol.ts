import { IDENT_PATTERN } from './rom';

/**
 * Host side of the ds18b20-bridge line protocol (firmware/PROTOCOL.md, version 1): turns one line from the
 * board into a typed event. Nothing here throws: boot-ROM garbage is noise, and malformed or unknown lines
 * come back as typed protocol errors the caller may log and otherwise ignore.
 */

export const BRIDGE_FIRMWARE_NAME = 'ds18b20-bridge';
/** Board lines are at most 256 bytes including the newline (PROTOCOL.md section 1). */
export const MAX_BOARD_LINE_BYTES = 256;
/** Host commands are at most 64 bytes including the newline (PROTOCOL.md section 1). */
export const MAX_COMMAND_BYTES = 64;
/** The firmware remembers at most 16 sensors from one scan (`max_sensors`, PROTOCOL.md 3.1), so a scan or a cycle never lists more. */
export const MAX_BRIDGE_SENSORS = 16;

export type Power = 'external' | 'parasite';

export type BridgeEvent =
  | {
      type: 'hello';
      firmware: string;
      version: string;
      protocol: number;
      pin?: number;
      interval?: number;
      resolution?: number;
      maxSensors?: number;
      /** The board's MAC, aa:bb:cc:dd:ee:ff (firmware 1.1.0 and later). */
      mac?: string;
    }
  | { type: 'sensor'; ident: string; model: string; power: Power; resolution: number }
  | { type: 'sensors'; count: number }
  | { type: 'temp'; ident: string; millicelsius: number; resolution: number; power: Power }
  | { type: 'cycle'; trigger: 'read' | 'interval'; count: number; errors: number }
  | { type: 'err'; code: string; ident?: string; command?: string }
  | { type: 'ok'; command: string; interval?: number; resolution?: number };

export type ProtocolErrorKind = 'line_too_long' | 'invalid_json' | 'not_an_object' | 'wrong_type' | 'unknown_event' | 'too_many_sensors';

export interface ProtocolError {
  kind: ProtocolErrorKind;
  message: string;
  /** The start of the offending line, for logs (bounded, never the whole line). */
  excerpt: string;
}

export type ParsedLine = { kind: 'event'; event: BridgeEvent } | { kind: 'noise' } | { kind: 'error'; error: ProtocolError };

type Json = Record<string, unknown>;
type Field = 'string' | 'integer' | 'ident' | 'power' | 'trigger' | 'mac';

/** Required and optional keys of each line type; unknown extra keys are allowed (PROTOCOL.md section 1). */
const SHAPES: Record<BridgeEvent['type'], { required: Record<string, Field>; optional?: Record<string, Field> }> = {
  hello: {
    required: { firmware: 'string', version: 'string', protocol: 'integer' },
    optional: { pin: 'integer', interval: 'integer', resolution: 'integer', max_sensors: 'integer', mac: 'mac' },
  },
  sensor: { required: { ident: 'ident', model: 'string', power: 'power', resolution: 'integer' } },
  sensors: { required: { count: 'integer' } },
  temp: { required: { ident: 'ident', millicelsius: 'integer', resolution: 'integer', power: 'power' } },
  cycle: { required: { trigger: 'trigger', count: 'integer', errors: 'integer' } },
  err: { required: { code: 'string' }, optional: { ident: 'ident', command: 'string' } },
  ok: { required: { command: 'string' }, optional: { interval: 'integer', resolution: 'integer' } },
};

export function parseBridgeLine(line: string): ParsedLine {
  const text = line.replace(/\r/g, '').trim();
  if (Buffer.byteLength(text, 'latin1') + 1 > MAX_BOARD_LINE_BYTES) {
    return error('line_too_long', `line longer than ${MAX_BOARD_LINE_BYTES} bytes`, text);
  }
  // Boot-ROM text (74880 baud read at 115200) and anything else that is not a JSON object is skipped.
  if (!text.startsWith('{')) return { kind: 'noise' };
  let value: unknown;
  try {
    value = JSON.parse(text);
  } catch {
    return error('invalid_json', 'not valid JSON', text);
  }
  if (typeof value !== 'object' || value === null || Array.isArray(value)) {
    return error('not_an_object', 'not a JSON object', text);
  }
  const json = value as Json;
  const type = json.type;
  if (typeof type !== 'string') return error('wrong_type', '"type" is missing or not a string', text);
  if (!Object.prototype.hasOwnProperty.call(SHAPES, type)) {
    return error('unknown_event', `unknown line type "${type.slice(0, 32)}"`, text);
  }
  const shape = SHAPES[type as BridgeEvent['type']];
  for (const [key, field] of Object.entries(shape.required)) {
    const problem = checkField(json[key], field);
    if (problem) return error('wrong_type', `${type}.${key} ${problem}`, text);
  }
  for (const [key, field] of Object.entries(shape.optional ?? {})) {
    if (json[key] === undefined) continue;
    const problem = checkField(json[key], field);
    if (problem) return error('wrong_type', `${type}.${key} ${problem}`, text);
  }
  return { kind: 'event', event: toEvent(type as BridgeEvent['type'], json) };
}

function checkField(value: unknown, field: Field): string | null {
  switch (field) {
    case 'string':
      return typeof value === 'string' && value.length <= MAX_BOARD_LINE_BYTES ? null : 'must be a string';
    case 'integer':
      return Number.isSafeInteger(value) ? null : 'must be an integer';
    case 'ident':
      return typeof value === 'string' && IDENT_PATTERN.test(value) ? null : 'must be a 1-Wire id like 28-0316a27950ff';
    case 'power':
      return value === 'external' || value === 'parasite' ? null : 'must be "external" or "parasite"';
    case 'trigger':
      return value === 'read' || value === 'interval' ? null : 'must be "read" or "interval"';
    case 'mac':
      return typeof value === 'string' && /^[0-9a-f]{2}(:[0-9a-f]{2}){5}$/.test(value) ? null : 'must be a MAC like 18:fe:34:a1:b2:5c';
  }
}

function toEvent(type: BridgeEvent['type'], j: Json): BridgeEvent {
  const s = (k: string) => j[k] as string;
  const n = (k: string) => j[k] as number;
  const optional = <T>(k: string) => (j[k] === undefined ? undefined : (j[k] as T));
  switch (type) {
    case 'hello':
      return dropUndefined({
        type,
        firmware: s('firmware'),
        version: s('version'),
        protocol: n('protocol'),
        pin: optional<number>('pin'),
        interval: optional<number>('interval'),
        resolution: optional<number>('resolution'),
        maxSensors: optional<number>('max_sensors'),
        mac: optional<string>('mac'),
      });
    case 'sensor':
      return { type, ident: s('ident'), model: s('model'), power: s('power') as Power, resolution: n('resolution') };
    case 'sensors':
      return { type, count: n('count') };
    case 'temp':
      return { type, ident: s('ident'), millicelsius: n('millicelsius'), resolution: n('resolution'), power: s('power') as Power };
    case 'cycle':
      return { type, trigger: s('trigger') as 'read' | 'interval', count: n('count'), errors: n('errors') };
    case 'err':
      return dropUndefined({ type, code: s('code'), ident: optional<string>('ident'), command: optional<string>('command') });
    case 'ok':
      return dropUndefined({
        type,
        command: s('command'),
        interval: optional<number>('interval'),
        resolution: optional<number>('resolution'),
      });
  }
}

function dropUndefined<T extends object>(o: T): T {
  for (const key of Object.keys(o) as Array<keyof T>) if (o[key] === undefined) delete o[key];
  return o;
}

function error(kind: ProtocolErrorKind, message: string, text: string): ParsedLine {
  return { kind: 'error', error: { kind, message, excerpt: text.slice(0, 60) } };
}

/** A hello from a board: is it the bridge firmware this package speaks to? */
export function isBridgeHello(event: BridgeEvent): boolean {
  return event.type === 'hello' && event.firmware === BRIDGE_FIRMWARE_NAME && event.protocol === 1;
}
