import { strict as assert } from 'assert';
import { crc8 } from '../../../../src/onewire/crc8';
import { identToRom } from '../../../../src/onewire/rom';
import { OneWireBus } from '../../../../src/sim/onewire/onewire-bus';
import { Thermometer, ThermometerOptions } from '../../../../src/sim/onewire/thermometer';
import { FirmwareGpioMaster } from './gpio-master';

const A = '28-0316a27950ff';
const B = '28-0416b3c4d5e6';

function setUp(...devices: ThermometerOptions[]): { bus: OneWireBus; parts: Thermometer[]; master: FirmwareGpioMaster } {
  const bus = new OneWireBus();
  const parts = devices.map((options) => new Thermometer(options));
  parts.forEach((part) => bus.attach(part));
  return { bus, parts, master: new FirmwareGpioMaster(bus) };
}

function readScratchpad(master: FirmwareGpioMaster, rom: Uint8Array | null): Uint8Array {
  assert.equal(master.select(rom), 'presence');
  master.writeByte(0xbe);
  return master.readBytes(9);
}

function convert(master: FirmwareGpioMaster, rom: Uint8Array | null): void {
  master.select(rom);
  master.writeByte(0x44);
  while (!master.touchBit(1)) master.sleepMs(1);
}

describe('1-Wire thermometer commands', () => {
  it('answers a reset with a presence pulse and an empty bus with none', () => {
    assert.equal(setUp({ rom: A }).master.reset(), 'presence');
    assert.equal(setUp().master.reset(), 'empty');
    const shorted = setUp({ rom: A });
    shorted.bus.shorted = true;
    assert.equal(shorted.master.reset(), 'short');
  });

  it('reads the power-on scratchpad 50 05 4B 46 7F FF 0C 10 1C before any conversion', () => {
    const { master } = setUp({ rom: A });
    assert.deepEqual([...readScratchpad(master, null)], [0x50, 0x05, 0x4b, 0x46, 0x7f, 0xff, 0x0c, 0x10, 0x1c]);
  });

  it('gives the DS18S20 power-on value AAh 00h, with no configuration register', () => {
    const { master } = setUp({ rom: '10-000802b4a1c3' });
    const sp = readScratchpad(master, null);
    assert.deepEqual([...sp.subarray(0, 8)], [0xaa, 0x00, 0x4b, 0x46, 0xff, 0xff, 0x0c, 0x10]);
    assert.equal(sp[8], crc8(sp.subarray(0, 8)));
  });

  it('sends its ROM for READ ROM, and answers only when MATCH ROM names it', () => {
    const { master } = setUp({ rom: A, celsius: 20 }, { rom: B, celsius: -5 });
    convert(master, null);
    const only = setUp({ rom: A }).master;
    only.reset();
    only.writeByte(0x33);
    assert.deepEqual(only.readBytes(8), identToRom(A));

    const sp = readScratchpad(master, identToRom(B));
    assert.deepEqual([...sp.subarray(0, 2)], [0xb0, 0xff]); // -5 °C = FFB0h
    assert.equal(sp[8], crc8(sp.subarray(0, 8)));
    assert.deepEqual([...readScratchpad(master, identToRom('28-000000000001'))], new Array(9).fill(0xff));
  });

  it('takes tCONV by resolution: 93.75, 187.5, 375 and 750 ms', () => {
    for (const [config, ms] of [
      [0x1f, 93.75],
      [0x3f, 187.5],
      [0x5f, 375],
      [0x7f, 750],
    ]) {
      const { master, bus } = setUp({ rom: A, celsius: 25.0625 });
      master.select(null);
      master.writeByte(0x4e);
      [0x4b, 0x46, config].forEach((b) => master.writeByte(b));
      master.select(null);
      master.writeByte(0x44);
      const start = master.us;
      // the time each slot starts at, for the last slot that read "busy" and the first that read "done"
      let busyAfter = 0;
      let doneAt = master.us - start;
      while (!master.touchBit(1)) {
        busyAfter = doneAt;
        doneAt = master.us - start;
      }
      assert.ok(busyAfter < ms * 1000 && doneAt >= ms * 1000, `config ${config.toString(16)}: ${busyAfter}..${doneAt} us`);
      const sp = readScratchpad(master, null);
      const undefinedBits = 12 - ((config >> 5) + 9);
      assert.equal(sp[4], config);
      // 25.0625 °C = 0191h at 12 bits; the bits below the resolution read 0
      assert.equal(sp[0] | (sp[1] << 8), 0x0191 & ~((1 << undefinedBits) - 1));
      assert.equal(bus.violations().count(), 0);
    }
  });

  it('writes TH, TL and the configuration, copies them to EEPROM, and recalls them at power-on', () => {
    const { master, parts } = setUp({ rom: A, power: 'parasite' });
    master.select(null);
    master.writeByte(0x4e);
    [0x1e, 0xf6, 0x3f].forEach((b) => master.writeByte(b));
    assert.deepEqual([...readScratchpad(master, null).subarray(2, 5)], [0x1e, 0xf6, 0x3f]);
    master.select(null);
    master.writeBytePullup(0x48);
    master.sleepMs(11); // tWR, plus the millisecond the sleep may lose
    master.endPullup();
    assert.deepEqual(parts[0].memory.eeprom, { th: 0x1e, tl: 0xf6, config: 0x3f });

    master.select(null);
    master.writeByte(0x4e);
    [0, 0, 0x7f].forEach((b) => master.writeByte(b));
    master.select(null);
    master.writeByte(0xb8);
    assert.equal(master.touchBit(1), 1);
    assert.deepEqual([...readScratchpad(master, null).subarray(2, 5)], [0x1e, 0xf6, 0x3f]);
    assert.equal(parts[0].violations.count(), 0);
  });

  it('reports its supply to READ POWER SUPPLY: 0 when parasite-powered', () => {
    for (const power of ['external', 'parasite'] as const) {
      const { master } = setUp({ rom: A, power });
      master.select(null);
      master.writeByte(0xb4);
      assert.equal(master.touchBit(1), power === 'parasite' ? 0 : 1);
    }
  });

  it('answers ALARM SEARCH only after a conversion outside TH..TL', () => {
    const { master } = setUp({ rom: A, celsius: 80 }, { rom: B, celsius: 72 });
    assert.deepEqual(master.searchAll(0xec), { roms: [], stop: 'lost' });
    convert(master, null);
    assert.deepEqual(master.searchAll(0xec), { roms: [identToRom(A)], stop: 'done' });
  });

  it('loses a parasite conversion without the strong pull-up, and comes back at 85 °C', () => {
    const { master, parts } = setUp({ rom: A, power: 'parasite', celsius: 20 });
    convert(master, null);
    assert.equal(parts[0].violations.count('strong-pullup-late'), 1);
    assert.deepEqual([...readScratchpad(master, null).subarray(0, 2)], [0x50, 0x05]);
  });

  it('loses a parasite conversion whose strong pull-up ends early', () => {
    const { master, parts } = setUp({ rom: A, power: 'parasite', celsius: 20 });
    master.select(null);
    master.writeBytePullup(0x44);
    master.sleepMs(700);
    master.endPullup();
    assert.equal(parts[0].violations.count('strong-pullup-too-short'), 1);
    assert.deepEqual([...readScratchpad(master, null).subarray(0, 2)], [0x50, 0x05]);
  });

  it('powers on again when a parasite part sees DQ low for more than 960 us', () => {
    const { master, bus } = setUp({ rom: A, power: 'parasite', celsius: 20 });
    master.select(null);
    master.writeBytePullup(0x44);
    master.sleepMs(751);
    master.endPullup();
    assert.deepEqual([...readScratchpad(master, null).subarray(0, 2)], [0x40, 0x01]);
    bus.setDrive('low', master.us + 100);
    bus.setDrive('released', master.us + 1200);
    master.cycle += 52 * 2000;
    assert.deepEqual([...readScratchpad(master, null).subarray(0, 2)], [0x50, 0x05]);
  });
});
