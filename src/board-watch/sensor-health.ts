// Per sensor, since the deploy: what it is, its last temperature, and how its reads went.
import type { CycleResult, SensorInfo } from '../onewire/bridge-client';
import { FAMILY_NAMES } from '../onewire/rom';

export interface SensorHealth {
  ident: string;
  /** The name a read node gives the sensor, if any. */
  name?: string;
  model: string;
  /** Family code, two hex digits (28 for a DS18B20). */
  family: string;
  power?: string;
  resolution?: number;
  lastCelsius?: number;
  /** Unix milliseconds of the last clean reading. */
  lastAt?: number;
  clean: number;
  crc: number;
  /** 85 °C power-on values: a conversion that did not run. */
  powerOn: number;
  /** Reads in which the sensor did not answer. */
  vanished: number;
  /** Other failures: out of range, unreadable, refused by the system. */
  other: number;
}

/** A read failure in the report's words, counted per distinct message. */
export type ErrorCounts = Map<string, number>;

/** Distinct error messages kept per board; more are counted under the last. */
const MAX_ERROR_MESSAGES = 50;

export class SensorTable {
  private readonly rows = new Map<string, SensorHealth>();

  get all(): SensorHealth[] {
    return [...this.rows.values()].map((row) => ({ ...row }));
  }

  /** The sensors a scan found (the bridge's `sensor` lines, or the w1 directory). */
  addScan(found: ReadonlyArray<Pick<SensorInfo, 'ident' | 'model'> & Partial<SensorInfo>>): void {
    for (const sensor of found) {
      const row = this.row(sensor.ident);
      row.model = sensor.model;
      if (sensor.power !== undefined) row.power = sensor.power;
      if (sensor.resolution !== undefined) row.resolution = sensor.resolution;
    }
  }

  setNames(names: ReadonlyArray<{ ident: string; name?: string }>): void {
    for (const { ident, name } of names) {
      if (name) this.row(ident).name = name;
    }
  }

  addCycle(cycle: CycleResult, at: number, errors: ErrorCounts): void {
    if (cycle.busError) countError(errors, cycle.busError);
    for (const outcome of cycle.outcomes) {
      if (outcome.ok) {
        const { reading } = outcome;
        const row = this.row(reading.ident);
        row.clean += 1;
        row.lastCelsius = reading.temperature;
        row.lastAt = at;
        // The scan's word on power and resolution stands, as in the command's report; a w1 bus has no scan lines.
        row.power ??= reading.power;
        row.resolution ??= reading.resolution;
        continue;
      }
      const row = this.row(outcome.error.ident);
      const code = outcome.error.code;
      if (code === 'crc') row.crc += 1;
      else if (code === 'power_on_value') row.powerOn += 1;
      else if (code === 'no_device') row.vanished += 1;
      else row.other += 1;
      countError(errors, outcome.error.message);
    }
  }

  private row(ident: string): SensorHealth {
    let row = this.rows.get(ident);
    if (!row) {
      const family = ident.slice(0, 2);
      row = { ident, model: FAMILY_NAMES[parseInt(family, 16)] ?? '?', family, clean: 0, crc: 0, powerOn: 0, vanished: 0, other: 0 };
      this.rows.set(ident, row);
    }
    return row;
  }
}

export function countError(errors: ErrorCounts, message: string): void {
  if (!errors.has(message) && errors.size >= MAX_ERROR_MESSAGES) return;
  errors.set(message, (errors.get(message) ?? 0) + 1);
}
