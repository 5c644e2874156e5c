import assert from 'node:assert/strict';
import { pinsFromControlLines } from '../../../../src/sim/board/reset-lines';

describe('sim/board/reset-lines', () => {
  it('follows the two-transistor truth table (EN low only for RTS alone, GPIO0 low only for DTR alone)', () => {
    assert.deepEqual(pinsFromControlLines({ dtr: false, rts: false }), { en: true, io0: true });
    assert.deepEqual(pinsFromControlLines({ dtr: false, rts: true }), { en: false, io0: true });
    assert.deepEqual(pinsFromControlLines({ dtr: true, rts: false }), { en: true, io0: false });
    assert.deepEqual(pinsFromControlLines({ dtr: true, rts: true }), { en: true, io0: true });
  });
});
