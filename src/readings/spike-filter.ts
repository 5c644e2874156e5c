import { Reading } from '../onewire/reading';
import { SensorError } from '../onewire/sensor-error';

/**
 * Spike filter, per sensor: a value further than `maxStep` °C from the last good one is held back.
 * If the next reading confirms it (within `maxStep` of it) both go out in order; otherwise the held one
 * fails with the code `spike` and the new one is judged against the last good value as usual.
 */

export interface Judged {
  reading: Reading;
  celsius: number;
}

export interface Verdict {
  /** Readings that go on, oldest first (a confirmed jump brings the held reading with it). */
  pass: Judged[];
  /** Whether `pass` starts with a held reading that the new one confirmed. */
  confirmed: boolean;
  /** The held reading the new one did not confirm. */
  spike?: SensorError;
  /** The new reading waits for the next one. */
  held: boolean;
}

interface FilterState {
  good: number;
  pending?: Judged;
}

const EPSILON = 1e-9;

export class SpikeFilter {
  private readonly sensors = new Map<string, FilterState>();

  /** `maxStep` in °C; 0 lets everything through. */
  constructor(private readonly maxStep: number) {}

  judge(item: Judged): Verdict {
    const ident = item.reading.ident;
    const state = this.sensors.get(ident);
    if (this.maxStep === 0 || state === undefined) {
      this.sensors.set(ident, { good: item.celsius });
      return { pass: [item], confirmed: false, held: false };
    }
    const near = (a: number, b: number) => Math.abs(a - b) <= this.maxStep + EPSILON;
    const pending = state.pending;
    state.pending = undefined;
    if (pending && near(item.celsius, pending.celsius)) {
      state.good = item.celsius;
      return { pass: [pending, item], confirmed: true, held: false };
    }
    const spike = pending ? spikeError(pending, state.good, this.maxStep) : undefined;
    if (near(item.celsius, state.good)) {
      state.good = item.celsius;
      return { pass: [item], confirmed: false, held: false, ...(spike ? { spike } : {}) };
    }
    state.pending = item;
    return { pass: [], confirmed: false, held: true, ...(spike ? { spike } : {}) };
  }
}

function spikeError(pending: Judged, good: number, maxStep: number): SensorError {
  const jump = Math.abs(pending.celsius - good);
  return new SensorError(
    pending.reading.ident,
    'spike',
    `${pending.celsius} °C jumped ${Number(jump.toFixed(4))} °C from ${good} °C (more than the ${maxStep} °C step allowed) and the next reading did not confirm it`,
  );
}
