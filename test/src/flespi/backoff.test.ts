import { strict as assert } from 'assert';
import { Backoff } from '../../../src/flespi/backoff';

describe('reconnect back-off', () => {
  it('doubles from the initial delay up to the cap, between half and all of each step', () => {
    const low = new Backoff({ initialMs: 1000, maxMs: 60_000, random: () => 0 });
    const high = new Backoff({ initialMs: 1000, maxMs: 60_000, random: () => 0.999999 });
    const lows = Array.from({ length: 9 }, () => low.next());
    const highs = Array.from({ length: 9 }, () => high.next());
    assert.deepEqual(lows, [500, 1000, 2000, 4000, 8000, 16000, 30000, 30000, 30000]);
    assert.deepEqual(highs, [1000, 2000, 4000, 8000, 16000, 32000, 60000, 60000, 60000]);
  });

  it('starts over after a reset and never overflows after many attempts', () => {
    const backoff = new Backoff({ initialMs: 100, maxMs: 60_000, random: () => 0.5 });
    for (let i = 0; i < 5000; i += 1) assert.ok(backoff.next() <= 60_000);
    backoff.reset();
    assert.equal(backoff.next(), 75);
  });
});
