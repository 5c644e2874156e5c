import assert from 'node:assert/strict';
import { hex, hex32, hexBytes } from '../../src/hex';

describe('hex text', () => {
  it('writes a number with 0x, unpadded unless asked', () => {
    assert.equal(hex(0x1f), '0x1f');
    assert.equal(hex(0), '0x0');
    assert.equal(hex(0x1000, 6), '0x001000');
    assert.equal(hex(0x40100000, 6), '0x40100000');
  });

  it('writes a 32-bit word as eight digits, read unsigned', () => {
    assert.equal(hex32(0x40100000), '0x40100000');
    assert.equal(hex32(5), '0x00000005');
    assert.equal(hex32(-1 << 30), '0xc0000000');
    assert.equal(hex32(-1), '0xffffffff');
  });

  it('writes bytes as two lowercase digits each, with an optional separator', () => {
    assert.equal(hexBytes([0x5c, 0xcf, 0x7f, 0x0a]), '5ccf7f0a');
    assert.equal(hexBytes(Uint8Array.of(0x5c, 0xcf, 0x07), ':'), '5c:cf:07');
    assert.equal(hexBytes([]), '');
  });
});
