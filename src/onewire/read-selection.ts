import { Reading, SensorOutcome, celsiusToFahrenheit, fail } from './reading';
import { IDENT_PATTERN } from './rom';
import { SensorError } from './sensor-error';
import { LIMITS } from '../field-rules';

/**
 * What a reader does with raw outcomes before they leave as messages: keep the chosen sensors (a chosen
 * sensor missing from the bus is an error, never silence), give them their names, convert the unit.
 */

export interface ChosenSensor {
  ident: string;
  name?: string;
  /** Calibration in °C, added before unit conversion (src/readings/calibration.ts). */
  offset?: number;
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

const MAX_NAME_LENGTH = LIMITS.sensorNameLength;
const MAX_CHOSEN = LIMITS.chosenSensors;

/**
 * Cleans the editor's list: valid ids only, lower case, no duplicates, bounded names and count. (The
 * node refuses names the edit dialog refuses before it gets here.)
 */
export function normaliseChosenSensors(raw: unknown): ChosenSensor[] {
  if (!Array.isArray(raw)) return [];
  const seen = new Set<string>();
  const chosen: ChosenSensor[] = [];
  for (const entry of raw.slice(0, MAX_CHOSEN)) {
    // Flows save `id`; flows from before per-sensor offsets saved `ident`.
    const fields = entry as { id?: unknown; ident?: unknown } | null;
    const ident = typeof entry === 'string' ? entry : (fields?.id ?? fields?.ident);
    if (typeof ident !== 'string') continue;
    const id = ident.trim().toLowerCase();
    if (!IDENT_PATTERN.test(id) || seen.has(id)) continue;
    seen.add(id);
    const name = (entry as { name?: unknown })?.name;
    const clean = typeof name === 'string' ? name.trim().slice(0, MAX_NAME_LENGTH) : '';
    const sensor: ChosenSensor = clean ? { ident: id, name: clean } : { ident: id };
    const offset = Number((entry as { offset?: unknown })?.offset);
    if (Number.isFinite(offset) && offset !== 0) sensor.offset = offset;
    chosen.push(sensor);
  }
  return chosen;
}

export function selectReadings(outcomes: SensorOutcome[], options: SelectionOptions): SelectedReadings {
  const byIdent = new Map(outcomes.map((o) => [o.ok ? o.reading.ident : o.error.ident, o]));
  const wanted: ChosenSensor[] =
    options.sensors.length > 0 ? options.sensors : outcomes.map((o) => ({ ident: o.ok ? o.reading.ident : o.error.ident }));
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
