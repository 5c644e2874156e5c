import { Reading, SensorOutcome, celsiusToFahrenheit, fail } from './reading';
import { IDENT_PATTERN } from './rom';
import { SensorError } from './sensor-error';

/**
 * What a reader does with raw outcomes before they leave as messages: keep the chosen sensors (a chosen
 * sensor missing from the bus is an error, never silence), give them their names, convert the unit.
 */

export interface ChosenSensor {
  ident: string;
  name?: string;
}

export interface SelectionOptions {
  /** Empty: every sensor found. Otherwise exactly these, in this order. */
  sensors: ChosenSensor[];
  unit: 'C' | 'F';
}

export interface SelectedReadings {
  readings: Reading[];
  errors: SensorError[];
}

const MAX_NAME_LENGTH = 64;
const MAX_CHOSEN = 64;

/** Cleans the editor's list: valid ids only, lower case, no duplicates, bounded names and count. */
export function normaliseChosenSensors(raw: unknown): ChosenSensor[] {
  if (!Array.isArray(raw)) return [];
  const seen = new Set<string>();
  const chosen: ChosenSensor[] = [];
  for (const entry of raw.slice(0, MAX_CHOSEN)) {
    const ident = typeof entry === 'string' ? entry : (entry as { ident?: unknown } | null)?.ident;
    if (typeof ident !== 'string') continue;
    const id = ident.trim().toLowerCase();
    if (!IDENT_PATTERN.test(id) || seen.has(id)) continue;
    seen.add(id);
    const name = (entry as { name?: unknown })?.name;
    const clean = typeof name === 'string' ? name.trim().slice(0, MAX_NAME_LENGTH) : '';
    chosen.push(clean ? { ident: id, name: clean } : { ident: id });
  }
  return chosen;
}

export function selectReadings(outcomes: SensorOutcome[], options: SelectionOptions): SelectedReadings {
  const byIdent = new Map(outcomes.map((o) => [o.ok ? o.reading.ident : o.error.ident, o]));
  const wanted: ChosenSensor[] = options.sensors.length > 0
    ? options.sensors
    : outcomes.map((o) => ({ ident: o.ok ? o.reading.ident : o.error.ident }));
  const readings: Reading[] = [];
  const errors: SensorError[] = [];
  for (const chosen of wanted) {
    const outcome = byIdent.get(chosen.ident) ?? fail(chosen.ident, 'no_device', 'the sensor was not found on the bus');
    if (!outcome.ok) {
      errors.push(outcome.error);
      continue;
    }
    const reading: Reading = { ...outcome.reading };
    if (options.unit === 'F') reading.temperature = celsiusToFahrenheit(reading.temperature);
    if (chosen.name) reading.name = chosen.name;
    readings.push(reading);
  }
  return { readings, errors };
}

/** Periods below a second would keep a 12-bit sensor converting all the time (750 ms per conversion). */
const MIN_INTERVAL_MS = 1000;
const MAX_INTERVAL_MS = 86_400_000;

/** The node's `interval` in ms: 0 (read only on input) or 1 s .. 1 day. */
export function parseInterval(value: unknown): number {
  const ms = Number(value);
  if (!Number.isFinite(ms) || ms <= 0) return 0;
  return Math.min(MAX_INTERVAL_MS, Math.max(MIN_INTERVAL_MS, Math.round(ms)));
}
