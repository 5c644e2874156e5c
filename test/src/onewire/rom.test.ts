import { strict as assert } from 'assert';
import { hexToRom, identToRom, isThermometerFamily, romToHex, romToIdent } from '../../../src/onewire/rom';
import { hasValidCrc } from '../../../src/onewire/crc8';

describe('onewire ROM ids', () => {
  it('names a ROM the way Linux does: family, then the serial most significant byte first', () => {
    const rom = identToRom('28-0316a27950ff');
    assert.deepEqual([...rom.subarray(0, 7)], [0x28, 0xff, 0x50, 0x79, 0xa2, 0x16, 0x03]);
    assert.equal(romToIdent(rom), '28-0316a27950ff');
    assert.equal(hasValidCrc(rom), true);
  });

  it('round-trips through the 16 hex digits of wire order and checks their CRC', () => {
    const rom = identToRom('10-000802b4c7a1');
    assert.deepEqual([...hexToRom(romToHex(rom))], [...rom]);
    const bad = romToHex(rom).slice(0, 14) + '00';
    assert.throws(() => hexToRom(bad), /bad CRC/);
    assert.throws(() => hexToRom('28ff'), /16 hex digits/);
  });

  it('refuses names that are not 1-Wire ids', () => {
    assert.throws(() => identToRom('w1_bus_master1'), /not a 1-Wire id/);
    assert.throws(() => romToIdent([1, 2, 3]), /8 bytes/);
  });

  it('knows the thermometer families', () => {
    for (const f of [0x10, 0x22, 0x28, 0x3b, 0x42]) assert.equal(isThermometerFamily(f), true);
    assert.equal(isThermometerFamily(0x01), false);
  });
});
