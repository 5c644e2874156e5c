import { strict as assert } from 'assert';
import { normaliseChosenSensors, selectReadings } from '../../../src/onewire/read-selection';
import { SensorOutcome, fail, readingFromMillidegrees } from '../../../src/onewire/reading';

const A = '28-0316a27950ff';
const B = '28-0416b3c4d5e6';
const good = (ident: string, m: number): SensorOutcome => readingFromMillidegrees(ident, m, { timestamp: 1 });

describe('onewire read selection', () => {
  it('keeps every sensor when none is chosen, errors apart', () => {
    const result = selectReadings([good(A, 20000), fail(B, 'crc', 'bad')], { sensors: [], unit: 'C' });
    assert.deepEqual(
      result.readings.map((r) => r.ident),
      [A],
    );
    assert.deepEqual(
      result.errors.map((e) => e.code),
      ['crc'],
    );
  });

  it('keeps the chosen order, adds names, converts to °F and reports chosen sensors that did not answer', () => {
    const result = selectReadings([good(A, 20000), good(B, 0)], {
      sensors: [{ ident: B, name: 'Boiler' }, { ident: A }, { ident: '28-00000000abcd' }],
      unit: 'F',
    });
    assert.deepEqual(
      result.readings.map((r) => [r.ident, r.name, r.temperature]),
      [
        [B, 'Boiler', 32],
        [A, undefined, 68],
      ],
    );
    assert.deepEqual(
      result.errors.map((e) => [e.ident, e.code]),
      [['28-00000000abcd', 'no_device']],
    );
  });

  it('cleans the editor list: bad ids, duplicates, case, long names', () => {
    const chosen = normaliseChosenSensors([
      { ident: ' 28-0316A27950FF ', name: '  Boiler ' },
      A,
      'junk',
      null,
      42,
      { ident: B, name: 'x'.repeat(100) },
    ]);
    assert.deepEqual(
      chosen.map((c) => c.ident),
      [A, B],
    );
    assert.equal(chosen[0].name, 'Boiler');
    assert.equal(chosen[1].name?.length, 64);
    assert.deepEqual(normaliseChosenSensors('28-0316a27950ff'), []);
    assert.equal(normaliseChosenSensors(new Array(500).fill(0).map((_, i) => `28-${i.toString(16).padStart(12, '0')}`)).length, 64);
  });
});
