import { strict as assert } from 'assert';
import { crc8, hasValidCrc } from '../../../src/onewire/crc8';

describe('onewire crc8 (Dallas/Maxim)', () => {
  it('gives the CRC-8/MAXIM-DOW check value 0xA1 for "123456789"', () => {
    assert.equal(crc8(Buffer.from('123456789', 'ascii')), 0xa1);
  });

  it('gives 0xA2 for the ROM of Maxim application note 27', () => {
    assert.equal(crc8([0x02, 0x1c, 0xb8, 0x01, 0x00, 0x00, 0x00]), 0xa2);
    assert.equal(crc8([0x02, 0x1c, 0xb8, 0x01, 0x00, 0x00, 0x00, 0xa2]), 0);
  });

  it('matches the DS18B20 power-on scratchpad CRC 0x1C', () => {
    assert.equal(crc8([0x50, 0x05, 0x4b, 0x46, 0x7f, 0xff, 0x0c, 0x10]), 0x1c);
  });

  it('validates a trailing CRC and rejects a flipped bit', () => {
    const pad = [0x72, 0x01, 0x4b, 0x46, 0x7f, 0xff, 0x0e, 0x10, 0x57];
    assert.equal(hasValidCrc(pad), true);
    pad[0] ^= 0x01;
    assert.equal(hasValidCrc(pad), false);
    assert.equal(hasValidCrc([0x00]), false);
  });
});
