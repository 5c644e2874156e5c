import { SensorError } from './sensor-error';

/**
 * One temperature reading as it leaves the read node and as flespi receives it (flespi's conventions:
 * `ident` names the device, `timestamp` is unix seconds with a fraction, names are lower-case).
 */
export interface Reading {
  ident: string;
  timestamp: number;
  temperature: number;
  resolution?: number;
  power?: 'external' | 'parasite';
  name?: string;
  /** The value as read, in the same unit, when a calibration offset changed `temperature`. */
  rawTemperature?: number;
}

/** The DS18B20 datasheet's measuring range; anything outside is a fault, not a temperature. */
export const MIN_MILLIDEGREES = -55000;
export const MAX_MILLIDEGREES = 125000;
/** The power-on value of the temperature register: 85 °C. */
export const POWER_ON_MILLIDEGREES = 85000;

export type SensorOutcome = { ok: true; reading: Reading } | { ok: false; error: SensorError };

export interface ReadingDetails {
  timestamp: number;
  resolution?: number;
  power?: 'external' | 'parasite';
  /**
   * Whether the scratchpad showed the power-on pattern. When the source cannot tell (only a millidegree
   * number is known), leave it undefined and exactly 85 °C counts as the power-on value.
   */
  powerOnPattern?: boolean;
}

/**
 * Turns millidegrees from any source into a reading, or into the error that explains why the number
 * must not be trusted.
 */
export function readingFromMillidegrees(ident: string, millidegrees: number, details: ReadingDetails): SensorOutcome {
  if (!Number.isInteger(millidegrees)) {
    return fail(ident, 'bad_data', `temperature ${String(millidegrees)} is not a whole number of millidegrees`);
  }
  const powerOn = details.powerOnPattern ?? millidegrees === POWER_ON_MILLIDEGREES;
  if (powerOn && millidegrees === POWER_ON_MILLIDEGREES) {
    return fail(ident, 'power_on_value', '85 °C power-on value: the conversion did not run (check the supply)');
  }
  if (millidegrees < MIN_MILLIDEGREES || millidegrees > MAX_MILLIDEGREES) {
    return fail(ident, 'out_of_range', `${millidegrees / 1000} °C is outside -55..125 °C`);
  }
  const reading: Reading = { ident, timestamp: details.timestamp, temperature: millidegrees / 1000 };
  if (details.resolution !== undefined) reading.resolution = details.resolution;
  if (details.power !== undefined) reading.power = details.power;
  return { ok: true, reading };
}

export function fail(ident: string, code: SensorError['code'], message: string): SensorOutcome {
  return { ok: false, error: new SensorError(ident, code, message) };
}

export function celsiusToFahrenheit(celsius: number): number {
  // Rounded to 4 decimals so 12-bit steps (0.0625 °C = 0.1125 °F) print without float noise.
  return Math.round(((celsius * 9) / 5 + 32) * 10000) / 10000;
}

/** Unix seconds with milliseconds, as flespi expects timestamps. */
export function unixSeconds(ms: number = Date.now()): number {
  return ms / 1000;
}
