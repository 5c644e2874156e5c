import { strict as assert } from 'assert';
import { EventEmitter } from 'events';
import { runReadCycle } from '../../../src/onewire/read-cycle';
import { CycleResult } from '../../../src/onewire/bridge-client';
import { fail, readingFromMillidegrees } from '../../../src/onewire/reading';
import { SensorReadFailure } from '../../../src/onewire/sensor-error';
import { SensorSource, SourceState } from '../../../src/onewire/sensor-source';

const A = '28-0316a27950ff';
const B = '28-0416b3c4d5e6';

class ScriptedSource extends EventEmitter implements SensorSource {
  readonly state: SourceState = { usable: true, kind: 'ready', detail: 'ready' };
  asked: string[][] = [];
  constructor(private readonly answer: () => Promise<CycleResult>) {
    super();
  }
  read(idents: string[]): Promise<CycleResult> {
    this.asked.push(idents);
    return this.answer();
  }
  list() {
    return Promise.resolve([]);
  }
  close() {
    /* nothing held */
  }
}

describe('onewire read cycle', () => {
  it('asks for the chosen sensors and splits readings from per-sensor errors', async () => {
    const source = new ScriptedSource(async () => ({
      trigger: 'read',
      outcomes: [readingFromMillidegrees(A, 20000, { timestamp: 1 }), fail(B, 'crc', 'CRC error')],
    }));
    const report = await runReadCycle(source, [{ ident: A, name: 'Boiler' }, { ident: B }], 'C');
    assert.deepEqual(source.asked, [[A, B]]);
    assert.deepEqual(report.readings, [{ ident: A, timestamp: 1, temperature: 20, name: 'Boiler' }]);
    assert.deepEqual(report.counts, { ok: 1, failing: 1 });
    assert.ok(report.error instanceof SensorReadFailure);
    assert.deepEqual(report.error.sensors, [{ ident: B, code: 'crc', message: `${B}: CRC error` }]);
  });

  it('turns a failed read and an empty bus into one error, never a rejection', async () => {
    const broken = await runReadCycle(new ScriptedSource(() => Promise.reject(new Error('port closed'))), [], 'C');
    assert.equal(broken.error?.message, 'port closed');
    assert.equal(broken.counts, null);
    assert.equal(broken.reason, 'read failed');
    const empty = await runReadCycle(
      new ScriptedSource(async () => ({ trigger: 'read', outcomes: [], busError: 'no sensor answered' })),
      [],
      'C',
    );
    assert.equal(empty.reason, 'no sensors');
    assert.equal(empty.error?.message, 'no sensor answered');
  });

  it('reports nothing when every sensor is fine', async () => {
    const report = await runReadCycle(
      new ScriptedSource(async () => ({ trigger: 'read', outcomes: [readingFromMillidegrees(A, 0, { timestamp: 1 })] })),
      [],
      'F',
    );
    assert.equal(report.error, undefined);
    assert.equal(report.readings[0].temperature, 32);
  });
});
