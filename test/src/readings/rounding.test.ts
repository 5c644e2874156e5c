import { strict as assert } from 'assert';
import fc from 'fast-check';
import { roundHalfAwayFromZero } from '../../../src/readings/rounding';

describe('readings: rounding half away from zero', () => {
  it('rounds the decimal digits a person reads, halves away from zero', () => {
    assert.equal(roundHalfAwayFromZero(21.4375, 2), 21.44);
    assert.equal(roundHalfAwayFromZero(21.4375 + 0.1, 2), 21.54); // 21.537499999… in binary
    assert.equal(roundHalfAwayFromZero(-0.125, 2), -0.13);
    assert.equal(roundHalfAwayFromZero(-0.5, 0), -1);
    assert.equal(roundHalfAwayFromZero(0.5, 0), 1);
    assert.equal(roundHalfAwayFromZero(1.005, 2), 1.01); // toFixed gives 1.00
    assert.equal(roundHalfAwayFromZero(-0.04, 1), 0);
    assert.equal(Object.is(roundHalfAwayFromZero(-0.04, 1), -0), false);
    assert.equal(roundHalfAwayFromZero(70.5875, 4), 70.5875);
    assert.equal(roundHalfAwayFromZero(125, 0), 125);
  });

  it('is symmetric around zero and never moves a value by more than half a step', () => {
    fc.assert(
      fc.property(fc.integer({ min: -670000, max: 2570000 }), fc.integer({ min: 0, max: 4 }), (tenThousandths, decimals) => {
        const value = tenThousandths / 10000;
        const rounded = roundHalfAwayFromZero(value, decimals);
        const step = 10 ** -decimals;
        assert.ok(Math.abs(rounded - value) <= step / 2 + 1e-9, `${value} → ${rounded}`);
        assert.equal(Math.abs(roundHalfAwayFromZero(-value, decimals)), Math.abs(rounded));
        assert.equal(Number(rounded.toFixed(decimals)), rounded);
      }),
    );
  });
});
