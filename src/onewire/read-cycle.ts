import { Reading } from './reading';
import { ChosenSensor, selectReadings } from './read-selection';
import { SensorSource } from './sensor-source';
import { SensorReadFailure } from './sensor-error';

/**
 * One read as the node performs it: ask the source, keep the chosen sensors, and sort the result into
 * readings to send and an error to report. Never rejects.
 */

export interface ReadReport {
  readings: Reading[];
  /** Set when some or all sensors failed, or the whole read failed. */
  error?: Error;
  /** How many sensors gave a reading and how many failed; null when the read as a whole failed. */
  counts: { ok: number; failing: number } | null;
  /** A short reason when the read as a whole failed (for a status line). */
  reason?: 'read failed' | 'no sensors';
}

export async function runReadCycle(source: SensorSource, chosen: ChosenSensor[], unit: 'C' | 'F'): Promise<ReadReport> {
  let cycle;
  try {
    cycle = await source.read(chosen.map((c) => c.ident));
  } catch (err) {
    return { readings: [], error: err as Error, counts: null, reason: 'read failed' };
  }
  if (cycle.busError && cycle.outcomes.length === 0) {
    return { readings: [], error: new Error(cycle.busError), counts: null, reason: 'no sensors' };
  }
  const selected = selectReadings(cycle.outcomes, { sensors: chosen, unit });
  const report: ReadReport = {
    readings: selected.readings,
    counts: { ok: selected.readings.length, failing: selected.errors.length },
  };
  if (selected.errors.length > 0) report.error = new SensorReadFailure(selected.errors);
  return report;
}
