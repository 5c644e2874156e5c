// Counts what the read cycles of a check produced: per sensor, clean readings and each kind of failure;
// per cycle, how long it took; and every distinct error message with how often it was seen.
import type { CycleResult, SensorInfo } from '../onewire/bridge-client';

export interface SensorTally {
  ident: string;
  model: string;
  power: string;
  resolution: number;
  clean: number;
  crc: number;
  powerOn: number;
  /** Failures other than CRC and power-on value: no answer, bus short, out of range, unreadable. */
  other: number;
  /** The last clean temperature, in °C. */
  lastCelsius?: number;
}

export interface CycleTimes {
  min: number;
  median: number;
  max: number;
}

export class CheckTally {
  private readonly sensors = new Map<string, SensorTally>();
  private readonly durations: number[] = [];
  private readonly errorCounts = new Map<string, number>();

  /** Starts a row for each sensor a scan found, so one that never answers still shows with zero clean reads. */
  addSensors(found: readonly SensorInfo[]): void {
    for (const sensor of found) this.row(sensor.ident, sensor);
  }

  addCycle(cycle: CycleResult, durationMs: number): void {
    this.durations.push(durationMs);
    if (cycle.busError) this.addError(cycle.busError);
    for (const outcome of cycle.outcomes) {
      if (outcome.ok) {
        const row = this.row(outcome.reading.ident);
        row.clean += 1;
        row.lastCelsius = outcome.reading.temperature;
        continue;
      }
      const row = this.row(outcome.error.ident);
      if (outcome.error.code === 'crc') row.crc += 1;
      else if (outcome.error.code === 'power_on_value') row.powerOn += 1;
      else row.other += 1;
      this.addError(outcome.error.message);
    }
  }

  addError(message: string): void {
    this.errorCounts.set(message, (this.errorCounts.get(message) ?? 0) + 1);
  }

  get sensorTallies(): SensorTally[] {
    return [...this.sensors.values()].map((row) => ({ ...row }));
  }

  get cycleDurations(): number[] {
    return [...this.durations];
  }

  get errors(): Array<{ message: string; count: number }> {
    return [...this.errorCounts].map(([message, count]) => ({ message, count }));
  }

  /** Sensors that never gave a clean reading. */
  get neverClean(): string[] {
    return [...this.sensors.values()].filter((row) => row.clean === 0).map((row) => row.ident);
  }

  private row(ident: string, info?: SensorInfo): SensorTally {
    let row = this.sensors.get(ident);
    if (!row) {
      // A sensor that shows up in a cycle without a scan line: the board knows it, the host learns it here.
      row = { ident, model: '?', power: '?', resolution: 0, clean: 0, crc: 0, powerOn: 0, other: 0 };
      this.sensors.set(ident, row);
    }
    if (info) Object.assign(row, { model: info.model, power: info.power, resolution: info.resolution });
    return row;
  }
}

/** Min, median (the mean of the middle two for an even count) and max, rounded to whole milliseconds. */
export function cycleTimes(durations: readonly number[]): CycleTimes | undefined {
  if (durations.length === 0) return undefined;
  const sorted = [...durations].sort((a, b) => a - b);
  const middle = Math.floor(sorted.length / 2);
  const median = sorted.length % 2 === 1 ? sorted[middle] : (sorted[middle - 1] + sorted[middle]) / 2;
  return { min: Math.round(sorted[0]), median: Math.round(median), max: Math.round(sorted[sorted.length - 1]) };
}
