import { strict as assert } from 'node:assert';
import { CheckTally, cycleTimes } from '../../../src/bridge-check/tally';
import { fail, readingFromMillidegrees } from '../../../src/onewire/reading';

const A = '28-0316a27950ff';
const B = '10-000802b4a1c3';

function clean(ident: string, millicelsius: number) {
  return readingFromMillidegrees(ident, millicelsius, { timestamp: 1 });
}

describe('bridge-check tally', () => {
  it('counts clean readings, CRC errors, power-on values and other failures per sensor', () => {
    const tally = new CheckTally();
    tally.addSensors([
      { ident: A, model: 'DS18B20', power: 'external', resolution: 12 },
      { ident: B, model: 'DS18S20', power: 'parasite', resolution: 9 },
    ]);
    tally.addCycle({ trigger: 'read', outcomes: [clean(A, 21437), fail(B, 'crc', 'CRC error')] }, 800);
    tally.addCycle({ trigger: 'read', outcomes: [fail(A, 'power_on_value', '85 °C'), fail(B, 'crc', 'CRC error')] }, 810);
    tally.addCycle({ trigger: 'read', outcomes: [clean(A, -10125), fail(B, 'no_device', 'gone')], busError: 'bus shorted' }, 790);

    assert.deepEqual(tally.sensorTallies, [
      { ident: A, model: 'DS18B20', power: 'external', resolution: 12, clean: 2, crc: 0, powerOn: 1, other: 0, lastCelsius: -10.125 },
      { ident: B, model: 'DS18S20', power: 'parasite', resolution: 9, clean: 0, crc: 2, powerOn: 0, other: 1 },
    ]);
    assert.deepEqual(tally.neverClean, [B]);
    assert.deepEqual(tally.cycleDurations, [800, 810, 790]);
    assert.deepEqual(tally.errors, [
      { message: `${B}: CRC error`, count: 2 },
      { message: `${A}: 85 °C`, count: 1 },
      { message: 'bus shorted', count: 1 },
      { message: `${B}: gone`, count: 1 },
    ]);
  });

  it('lists a sensor that only shows up in a cycle, with what little is known of it', () => {
    const tally = new CheckTally();
    tally.addCycle({ trigger: 'read', outcomes: [clean(A, 500)] }, 100);
    assert.deepEqual(
      tally.sensorTallies.map((row) => [row.ident, row.model, row.clean]),
      [[A, '?', 1]],
    );
    assert.deepEqual(tally.neverClean, []);
  });

  it('gives min, median and max cycle times, or nothing when no cycle ran', () => {
    assert.equal(cycleTimes([]), undefined);
    assert.deepEqual(cycleTimes([812.4]), { min: 812, median: 812, max: 812 });
    assert.deepEqual(cycleTimes([900, 700, 800]), { min: 700, median: 800, max: 900 });
    assert.deepEqual(cycleTimes([700, 1000, 800, 900]), { min: 700, median: 850, max: 1000 });
  });
});
