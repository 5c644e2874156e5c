import { ChosenSensor } from '../onewire/read-selection';
import type { ReadReport } from '../onewire/read-cycle';
import { Reading } from '../onewire/reading';
import { SensorError, SensorErrorSummary, SensorReadFailure } from '../onewire/sensor-error';
import { Presentation, calibratedCelsius, presentReading } from './calibration';
import { PublishGate } from './publish-gate';
import { SpikeFilter } from './spike-filter';

/**
 * What happens to a read cycle's readings before they leave the node, in this order: the offset of
 * each sensor, the spike filter, publish on change, then unit and decimals. State lives per sensor in
 * one pipeline, so a redeploy (a new pipeline) starts afresh.
 */

export interface PipelineSettings extends Presentation {
  sensors: ChosenSensor[];
  /** °C; 0 sends every reading. */
  deadband: number;
  /** Seconds; 0 none. */
  heartbeat: number;
  /** °C per reading; 0 turns the spike filter off. */
  maxStep: number;
}

export interface Outgoing {
  reading: Reading;
  /** Read in an earlier cycle: a held jump the current reading confirmed. */
  earlier: boolean;
}

export interface ProcessedCycle {
  outgoing: Outgoing[];
  /** Sensors that failed, spikes included, as `msg.errors` lists them. */
  errors: SensorErrorSummary[];
  /** The error to report (Catch node), if any. */
  error?: Error;
  counts: { ok: number; failing: number; held: number } | null;
}

export class ReadingPipeline {
  private readonly offsets: Map<string, number>;
  private readonly spikes: SpikeFilter;
  private readonly gate: PublishGate;

  constructor(private readonly settings: PipelineSettings) {
    this.offsets = new Map(settings.sensors.map((s) => [s.ident, s.offset ?? 0]));
    this.spikes = new SpikeFilter(settings.maxStep);
    this.gate = new PublishGate(settings);
  }

  process(report: ReadReport): ProcessedCycle {
    if (!report.counts) return { outgoing: [], errors: [], error: report.error, counts: null };
    const failures: SensorErrorSummary[] = report.error instanceof SensorReadFailure ? [...report.error.sensors] : [];
    for (const failure of failures) this.gate.failed(failure.ident);
    const spikes: SensorError[] = [];
    const outgoing: Outgoing[] = [];
    let held = 0;
    for (const reading of report.readings) {
      const offset = this.offsets.get(reading.ident) ?? 0;
      const verdict = this.spikes.judge({ reading, celsius: calibratedCelsius(reading.temperature, offset) });
      if (verdict.spike) spikes.push(verdict.spike);
      if (verdict.held) held += 1;
      verdict.pass.forEach((item, i) => {
        const earlier = verdict.confirmed && i === 0;
        // A confirmed jump goes out whole: both readings, whatever the deadband says.
        if (!this.gate.admit(reading.ident, item.celsius, item.reading.timestamp, verdict.confirmed)) {
          held += 1;
          return;
        }
        outgoing.push({ reading: presentReading(item.reading, item.celsius, offset, this.settings), earlier });
      });
    }
    const errors = [...failures, ...spikes.map((e) => ({ ident: e.ident, code: e.code, message: e.message }))];
    const processed: ProcessedCycle = {
      outgoing,
      errors,
      counts: { ok: report.counts.ok, failing: report.counts.failing + spikes.length, held },
    };
    if (spikes.length === 0) processed.error = report.error;
    else processed.error = new SensorReadFailure(errors);
    return processed;
  }
}
