import { Reading, celsiusToFahrenheit } from '../onewire/reading';
import { roundHalfAwayFromZero } from './rounding';

/**
 * What a person tunes about each value: a calibration offset in °C (added before the unit is
 * converted), the unit, and the decimals shown. A reading that had an offset applied also keeps the
 * value as read, in the same unit, as `rawTemperature`.
 */

export interface Presentation {
  unit: 'C' | 'F';
  /** null keeps the full resolution. */
  decimals: number | null;
}

/** °C after the offset; rounding and unit come later, so filters compare what the sensor measured. */
export function calibratedCelsius(celsius: number, offset: number): number {
  // Five decimals: the 12-bit step is 0.0625 and an offset has at most a few decimals.
  return offset === 0 ? celsius : Math.round((celsius + offset) * 100000) / 100000;
}

/** The reading as it leaves the node: `celsius` (calibrated) in the chosen unit and decimals. */
export function presentReading(reading: Reading, celsius: number, offset: number, how: Presentation): Reading {
  const inUnit = (c: number) => (how.unit === 'F' ? celsiusToFahrenheit(c) : c);
  const value = inUnit(celsius);
  const out: Reading = { ...reading, temperature: how.decimals === null ? value : roundHalfAwayFromZero(value, how.decimals) };
  if (offset !== 0) out.rawTemperature = inUnit(reading.temperature);
  return out;
}
