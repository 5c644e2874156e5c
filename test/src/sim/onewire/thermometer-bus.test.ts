import { strict as assert } from 'assert';
import fc from 'fast-check';
import { crc8 } from '../../../../src/onewire/crc8';
import { compareSearchOrder, identToRom } from '../../../../src/onewire/rom';
import { OneWireBus } from '../../../../src/sim/onewire/onewire-bus';
import { Thermometer, ThermometerOptions } from '../../../../src/sim/onewire/thermometer';
import { FirmwareGpioMaster } from './gpio-master';
import { readLikeFirmware } from './firmware-reader';

function busWith(...devices: ThermometerOptions[]): { bus: OneWireBus; parts: Thermometer[] } {
  const bus = new OneWireBus();
  const parts = devices.map((options) => new Thermometer(options));
  parts.forEach((part) => bus.attach(part));
  return { bus, parts };
}

const MIXED: ThermometerOptions[] = [
  { rom: '28-0316a27950ff', celsius: 21.5 },
  { rom: '28-0416b3c4d5e6', celsius: -10.125 },
  { rom: '10-000802b4a1c3', celsius: 23.75 },
  { rom: '22-00000a0b0c0d', celsius: 55.0625, power: 'parasite' },
];

describe('1-Wire bus with a master timed like the firmware', () => {
  it('reads every part of a mixed bus, one of them parasite-powered, with no timing violation', () => {
    const { bus } = busWith(...MIXED);
    const master = new FirmwareGpioMaster(bus);
    const readings = readLikeFirmware(master);

    assert.deepEqual(bus.violations().byKind(), {});
    const byIdent = new Map(readings.map((r) => [r.rom[0].toString(16) + r.rom[1].toString(16), r]));
    assert.equal(readings.length, 4);
    const expected = [21500, -10125, 23750, 55062];
    MIXED.forEach((options, i) => {
      const rom = identToRom(options.rom as string);
      const reading = byIdent.get(rom[0].toString(16) + rom[1].toString(16));
      assert.ok(reading, `found ${String(options.rom)}`);
      assert.deepEqual(reading.result, {
        ok: true,
        millidegrees: expected[i],
        resolution: rom[0] === 0x10 ? 9 : 12,
        powerOnPattern: false,
      });
      assert.equal(reading.parasite, options.power === 'parasite');
    });
  });

  it("holds the strong pull-up up to 1 ms short of tCONV with the firmware's millisecond sleep, and the parasite part browns out", () => {
    const { bus } = busWith({ rom: '28-0316a27950ff', celsius: 21.5, power: 'parasite' });
    const master = new FirmwareGpioMaster(bus);
    master.sleepMs(1);
    master.cycle += 26_000; // half way through a millisecond, as the main loop may be
    const [reading] = readLikeFirmware(master, 12, 0);
    assert.equal(bus.violations().count('strong-pullup-too-short'), 1);
    assert.deepEqual(reading.result, { ok: true, millidegrees: 85000, resolution: 12, powerOnPattern: true });
  });

  it('takes the data sheet conversion time: 750 ms at 12 bits, while polling read slots', () => {
    const { bus } = busWith({ rom: '28-0316a27950ff', celsius: 30 });
    const master = new FirmwareGpioMaster(bus);
    master.select(null);
    master.writeByte(0x44);
    const commandEnd = master.us;
    while (!master.touchBit(1)) master.sleepMs(1);
    const took = master.us - commandEnd;
    assert.ok(took >= 750_000 && took < 751_100, `conversion took ${took} us`);
    assert.equal(bus.violations().count(), 0);
  });

  it('with the firmware clock constant halved, counts the violations and finds no part (the resets are too short)', () => {
    const { bus } = busWith(...MIXED);
    const master = new FirmwareGpioMaster(bus, 52e6, 26);
    const readings = readLikeFirmware(master);
    assert.deepEqual(readings, []);
    assert.ok(bus.violations().count('reset-too-short') > 0, JSON.stringify(bus.violations().byKind()));
    assert.equal(master.reset(), 'empty');
  });

  it('with the firmware clock constant halved but a long enough reset, slots are too short and bits are misread', () => {
    // 30 us write-0 lows: a part sampling late in its 15-60 us window takes them for 1s.
    const { bus } = busWith({ rom: '28-0316a27950ff', celsius: 21.5, writeSampleUs: 45 });
    const slow = new FirmwareGpioMaster(bus, 52e6, 52);
    assert.equal(slow.reset(), 'presence');
    const fast = new FirmwareGpioMaster(bus, 52e6, 26);
    fast.cycle = slow.cycle;
    fast.writeByte(0x33); // READ ROM with 35 us slots and 30 us write-0 lows
    const rom = fast.readBytes(8);
    const violations = bus.violations();
    assert.ok(violations.count('slot-too-short') > 0, JSON.stringify(violations.byKind()));
    assert.ok(violations.count('write-low-ambiguous') > 0, JSON.stringify(violations.byKind()));
    assert.deepEqual(rom, new Uint8Array(8).fill(0xff), 'READ ROM misread as another command: nobody answers');
  });

  it('with the CPU at half the clock the firmware assumes (or the constant doubled), samples after tRDV: violations and CRC errors', () => {
    for (const [cpuHz, firmwareMhz] of [
      [26e6, 52],
      [52e6, 104],
    ]) {
      const { bus } = busWith({ rom: '28-0316a27950ff', celsius: 21.5 });
      const master = new FirmwareGpioMaster(bus, cpuHz, firmwareMhz);
      assert.equal(master.reset(), 'presence', 'a 960 us reset still resets');
      master.writeByte(0xcc);
      master.writeByte(0xbe);
      const scratchpad = master.readBytes(9);
      assert.notEqual(crc8(scratchpad.subarray(0, 8)), scratchpad[8]);
      const violations = bus.violations();
      assert.ok(violations.count('sample-too-late') > 0, JSON.stringify(violations.byKind()));
      assert.equal(violations.count('presence-sample-outside-window'), 1, 'presence sampled at 140 us');
    }
  });

  it('finds every id of any mix of parts by ROM search, in AN187 order (property)', () => {
    const families = fc.constantFrom(0x10, 0x22, 0x28);
    // Serials from a few shared stems, so that ids share long prefixes and discrepancies go deep.
    const serial = fc.tuple(fc.constantFrom(0, 0x5a5a5a, 0xffffff), fc.integer({ min: 0, max: 0xffffff }), fc.nat(47));
    const rom = fc.tuple(families, serial).map(([family, [stem, low, flip]]) => {
      const bytes = new Uint8Array(8);
      bytes[0] = family;
      const value = (BigInt(stem) << 24n) | BigInt(low);
      const flipped = value ^ (1n << BigInt(flip));
      for (let i = 0; i < 6; i++) bytes[1 + i] = Number((flipped >> BigInt(8 * i)) & 0xffn);
      bytes[7] = crc8(bytes.subarray(0, 7));
      return bytes;
    });
    const roms = fc.uniqueArray(rom, { minLength: 1, maxLength: 20, selector: (r) => Buffer.from(r).toString('hex') });
    fc.assert(
      fc.property(roms, fc.constantFrom<'external' | 'parasite'>('external', 'parasite'), (ids, power) => {
        const { bus } = busWith(...ids.map((id) => ({ rom: id, power })));
        const master = new FirmwareGpioMaster(bus);
        const found = master.searchAll();
        assert.equal(found.stop, 'done');
        assert.deepEqual(found.roms, ids.slice().sort(compareSearchOrder));
        assert.equal(bus.violations().count(), 0);
      }),
      { numRuns: 60 },
    );
  });
});
