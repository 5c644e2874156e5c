import * as os from 'os';
import { Reading } from '../onewire/reading';

/**
 * One message per board, in the shape flespi's MQTT channel turns into one device message: the board's
 * `ident`, a `timestamp` in unix seconds and one flat `temperature.<sensor>` parameter per sensor,
 * named after the sensor's name when it has one (lower case, spaces as `_`), else its id.
 */

export interface BoardPayload {
  ident: string;
  timestamp: number;
  [parameter: `temperature.${string}`]: number;
}

/** The w1 bus belongs to the machine Node-RED runs on. */
export function w1BoardIdent(hostname: string = os.hostname()): string {
  return `w1-${identPart(hostname)}`;
}

/**
 * The bridge board, by the MAC its firmware reports (1.1.0 and later), else by the serial port it is
 * plugged into: a board with older firmware keeps its ident while it stays on its port.
 */
export function bridgeBoardIdent(port: { path: string; mac?: string }): string {
  if (port.mac && /^([0-9a-f]{2}:?){6}$/i.test(port.mac)) return `esp8266-${port.mac.replace(/:/g, '').toLowerCase()}`;
  const name = port.path.replace(/^\/dev\//, '').replace(/^serial\/by-id\//, '');
  return `esp8266-${identPart(name)}`;
}

/** Lower case, and nothing flespi forbids in an ident or a topic level (`/`, `+`, `#`, spaces). */
function identPart(text: string): string {
  return (
    text
      .toLowerCase()
      .replace(/[^a-z0-9._-]+/g, '-')
      .replace(/^-+|-+$/g, '') || 'board'
  );
}

export function parameterName(reading: Reading): `temperature.${string}` {
  const name = reading.name?.trim().toLowerCase().replace(/\s+/g, '_');
  return `temperature.${name || reading.ident}`;
}

/** The payload for `readings` (at least one); a name two sensors share falls back to their ids. */
export function boardPayload(ident: string, readings: Reading[]): BoardPayload {
  const payload: BoardPayload = { ident, timestamp: Math.max(...readings.map((r) => r.timestamp)) };
  const names = readings.map(parameterName);
  readings.forEach((reading, i) => {
    const shared = names.indexOf(names[i]) !== names.lastIndexOf(names[i]);
    const key: `temperature.${string}` = shared ? `temperature.${reading.ident}` : names[i];
    payload[key] = reading.temperature;
  });
  return payload;
}

/** The topic a board message suggests: the same level layout as a single reading's default topic. */
export function boardTopic(ident: string): string {
  return `sensors/${ident}/temperature`;
}
