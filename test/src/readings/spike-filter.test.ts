import { strict as assert } from 'assert';
import { SpikeFilter } from '../../../src/readings/spike-filter';

const A = '28-0316a27950ff';
const B = '28-0416b3c4d5e6';
const item = (celsius: number, timestamp: number, ident = A) => ({ reading: { ident, timestamp, temperature: celsius }, celsius });
const times = (v: { pass: Array<{ reading: { timestamp: number } }> }) => v.pass.map((p) => p.reading.timestamp);

describe('readings: spike filter', () => {
  it('holds a jump, and lets it out with the next reading when that one confirms it', () => {
    const filter = new SpikeFilter(2);
    assert.deepEqual(times(filter.judge(item(20, 1))), [1]);
    const jump = filter.judge(item(30, 2));
    assert.deepEqual([jump.held, times(jump)], [true, []]);
    const confirm = filter.judge(item(31, 3));
    assert.deepEqual([confirm.confirmed, times(confirm), confirm.spike], [true, [2, 3], undefined]);
    assert.deepEqual(times(filter.judge(item(32.5, 4))), [4]);
  });

  it('fails a jump the next reading does not confirm with the code spike, and judges that reading afresh', () => {
    const filter = new SpikeFilter(2);
    filter.judge(item(20, 1));
    filter.judge(item(85.5, 2));
    const back = filter.judge(item(20.5, 3));
    assert.equal(back.spike?.code, 'spike');
    assert.equal(back.spike?.ident, A);
    assert.match(back.spike?.message ?? '', /85\.5 °C jumped 65\.5 °C from 20 °C/);
    assert.deepEqual(times(back), [3]);
    filter.judge(item(50, 4));
    const other = filter.judge(item(-10, 5));
    assert.equal(other.spike?.code, 'spike');
    assert.equal(other.held, true, 'far from both the last good value and the held one: held in turn');
  });

  it('passes steps up to maxStep, keeps sensors apart, and is off at 0', () => {
    const filter = new SpikeFilter(2);
    filter.judge(item(20, 1));
    filter.judge(item(0, 1, B));
    assert.deepEqual(times(filter.judge(item(22, 2))), [2]);
    assert.deepEqual(times(filter.judge(item(1.5, 2, B))), [2]);
    const off = new SpikeFilter(0);
    off.judge(item(20, 1));
    assert.deepEqual(times(off.judge(item(100, 2))), [2]);
  });
});
