import { strict as assert } from 'assert';
import type { ReadReport } from '../../../src/onewire/read-cycle';
import { Reading } from '../../../src/onewire/reading';
import { SensorError, SensorReadFailure } from '../../../src/onewire/sensor-error';
import { outgoingMessages, outputMode } from '../../../src/readings/outgoing-messages';
import { PipelineSettings, ReadingPipeline } from '../../../src/readings/reading-pipeline';

const A = '28-0316a27950ff';
const B = '28-0416b3c4d5e6';
const SETTINGS: PipelineSettings = { sensors: [], unit: 'C', decimals: null, deadband: 0, heartbeat: 0, maxStep: 0 };

function cycle(t: number, values: Record<string, number>, failing: string[] = []): ReadReport {
  const readings: Reading[] = Object.entries(values).map(([ident, temperature]) => ({ ident, timestamp: t, temperature }));
  const report: ReadReport = { readings, counts: { ok: readings.length, failing: failing.length } };
  if (failing.length > 0) report.error = new SensorReadFailure(failing.map((ident) => new SensorError(ident, 'crc', 'CRC error')));
  return report;
}

describe('readings: the pipeline a cycle goes through', () => {
  it('applies the offset before the spike filter and the deadband, and unit and decimals last', () => {
    const pipeline = new ReadingPipeline({
      ...SETTINGS,
      sensors: [{ ident: A, offset: -1.25 }],
      unit: 'F',
      decimals: 1,
      deadband: 0.5,
      maxStep: 3,
    });
    const first = pipeline.process(cycle(1, { [A]: 21.4375, [B]: 4 }));
    assert.deepEqual(
      first.outgoing.map((o) => [o.reading.ident, o.reading.temperature, o.reading.rawTemperature]),
      [
        [A, 68.3, 70.5875], // (21.4375 - 1.25) °C = 68.3375 °F; the raw value stays as read
        [B, 39.2, undefined],
      ],
    );
    const second = pipeline.process(cycle(2, { [A]: 21.6875, [B]: 4.5 }));
    assert.deepEqual(
      second.outgoing.map((o) => o.reading.ident),
      [B],
    );
    assert.deepEqual(second.counts, { ok: 2, failing: 0, held: 1 });
  });

  it('sends a held jump and its confirmation in order, and fails an unconfirmed one as a spike beside the other errors', () => {
    const pipeline = new ReadingPipeline({ ...SETTINGS, maxStep: 2 });
    pipeline.process(cycle(1, { [A]: 20, [B]: 10 }));
    const held = pipeline.process(cycle(2, { [A]: 30, [B]: 10 }));
    assert.deepEqual(
      held.outgoing.map((o) => o.reading.ident),
      [B],
    );
    assert.equal(held.counts?.held, 1);
    const confirmed = pipeline.process(cycle(3, { [A]: 30.5, [B]: 10 }));
    assert.deepEqual(
      confirmed.outgoing.map((o) => [o.reading.timestamp, o.reading.temperature, o.earlier]),
      [
        [2, 30, true],
        [3, 30.5, false],
        [3, 10, false],
      ],
    );
    pipeline.process(cycle(4, { [A]: 90 }, [B]));
    const rejected = pipeline.process(cycle(5, { [A]: 30.5 }, [B]));
    assert.deepEqual(
      rejected.errors.map((e) => [e.ident, e.code]),
      [
        [B, 'crc'],
        [A, 'spike'],
      ],
    );
    assert.ok(rejected.error instanceof SensorReadFailure);
    assert.deepEqual(
      rejected.error.sensors.map((e) => e.code),
      ['crc', 'spike'],
    );
    assert.deepEqual(rejected.counts, { ok: 1, failing: 2, held: 0 });
  });

  it('makes one board message a cycle, a confirmed jump first, failing sensors in errors', () => {
    const pipeline = new ReadingPipeline({ ...SETTINGS, sensors: [{ ident: A, name: 'Boiler' }], maxStep: 2 });
    const named = (report: ReadReport) => {
      for (const r of report.readings) if (r.ident === A) r.name = 'Boiler';
      return report;
    };
    pipeline.process(named(cycle(1, { [A]: 20, [B]: 10 })));
    pipeline.process(named(cycle(2, { [A]: 30, [B]: 10 })));
    const messages = outgoingMessages(pipeline.process(named(cycle(3, { [A]: 30.5 }, [B]))), 'board', 'w1-pi');
    assert.deepEqual(
      messages.map((m) => [m.topic, m.payload, m.errors?.map((e) => e.code)]),
      [
        ['sensors/w1-pi/temperature', { ident: 'w1-pi', timestamp: 2, 'temperature.boiler': 30 }, undefined],
        ['sensors/w1-pi/temperature', { ident: 'w1-pi', timestamp: 3, 'temperature.boiler': 30.5 }, ['crc']],
      ],
    );
    assert.deepEqual(outgoingMessages(pipeline.process(cycle(4, {})), 'board', 'w1-pi'), []);
  });

  it('makes one message per reading or one array, as before', () => {
    const processed = new ReadingPipeline(SETTINGS).process(cycle(1, { [A]: 20, [B]: 10 }));
    assert.deepEqual(
      outgoingMessages(processed, 'each', 'x').map((m) => m.topic),
      [A, B],
    );
    assert.deepEqual(
      outgoingMessages(processed, 'array', 'x').map((m) => (m.payload as Reading[]).length),
      [2],
    );
    assert.deepEqual([outputMode('board'), outputMode('array'), outputMode(undefined)], ['board', 'array', 'each']);
  });

  it('passes a failed read through', () => {
    const failed = new ReadingPipeline(SETTINGS).process({
      readings: [],
      counts: null,
      error: new Error('port closed'),
      reason: 'read failed',
    });
    assert.deepEqual([failed.counts, failed.error?.message], [null, 'port closed']);
  });
});
