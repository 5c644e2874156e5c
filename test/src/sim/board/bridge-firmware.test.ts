// firmware/bridge.bin, the image users flash, running on the emulated CPU with the electrical
// 1-Wire line on GPIO4: the readings must be the simulated temperatures, and no part on the line
// may judge a single edge out of the data sheet's timing.
import { strict as assert } from 'assert';
import { readFileSync } from 'fs';
import path from 'path';

import type { SimulatedSensorOptions } from '../../../../src/sim/onewire/simulated-sensor';
import { REPO_ROOT } from '../../../firmware/toolchain';
import { ChipHarness } from './chip-harness';

const BRIDGE_IMAGE = new Uint8Array(readFileSync(path.join(REPO_ROOT, 'firmware', 'bridge.bin')));
const FAMILIES = [0x28, 0x10, 0x22];

/** `count` sensors of the three models in turn, the second one parasite-powered, at distinct temperatures. */
function mixedSensors(count: number): SimulatedSensorOptions[] {
  return Array.from({ length: count }, (_, i) => {
    const family = FAMILIES[i % FAMILIES.length];
    const serial = (0x1234 + i * 0x0101).toString(16).padStart(12, '0');
    // eighths of a degree: every model represents them exactly (the DS18S20 through COUNT_REMAIN),
    // and they are whole millidegrees
    const temperature = -20 + i * 3.125;
    return { ident: `${family.toString(16)}-${serial}`, temperature, power: i === 1 ? 'parasite' : 'external' };
  });
}

describe('the bridge firmware on the virtual ESP8266 (CPU, peripherals, 1-Wire line)', function () {
  this.timeout(120000);

  for (const count of [1, 10, 20]) {
    it(`reads ${count} sensor${count > 1 ? 's' : ''} of mixed models with zero timing violations`, () => {
      const sensors = mixedSensors(count);
      const board = new ChipHarness(BRIDGE_IMAGE, { sensors });
      const found = Math.min(count, 16);
      // wake-up line, hello, one line per sensor found, then the count (and too_many_devices past 16)
      board.runUntil((lines) => lines.some((l) => l.includes('"type":"sensors"')), 5, 'scan result');
      const scan = board.lines
        .filter((l) => l.startsWith('{'))
        .map((l) => JSON.parse(l) as { type: string; ident?: string; power?: string; model?: string });
      assert.equal(scan[0].type, 'hello');
      const listed = scan.filter((e) => e.type === 'sensor');
      assert.equal(listed.length, found);
      if (count > 16) assert.ok(scan.some((e) => e.type === 'err' && (e as { code?: string }).code === 'too_many_devices'));
      for (const entry of listed) {
        const sensor = sensors.find((s) => s.ident === entry.ident);
        assert.ok(sensor, `${entry.ident} is on the line`);
        assert.equal(entry.power, sensor.power);
      }

      const from = board.lines.length;
      board.send('read\n');
      board.runUntil((lines) => lines.slice(from).some((l) => l.includes('"type":"cycle"')), 5, 'read cycle');
      const cycle = board.lines.slice(from).map((l) => JSON.parse(l) as { type: string; ident: string; millicelsius: number });
      const temps = cycle.filter((e) => e.type === 'temp');
      assert.equal(temps.length, found, board.lines.slice(from).join('\n'));
      for (const reading of temps) {
        const sensor = sensors.find((s) => s.ident === reading.ident);
        assert.ok(sensor);
        assert.equal(reading.millicelsius, (sensor.temperature ?? 0) * 1000, reading.ident);
      }
      assert.deepEqual(board.sensors.violations().byKind(), {});
      assert.deepEqual(board.log, []);
    });
  }

  // esptool's read_mac: 18:fe:34 and ac:d0:74 by a code in eFuse word 1, any other prefix in word 3
  for (const mac of ['18:fe:34:12:ab:ef', 'ac:d0:74:00:01:02', '5c:cf:7f:9a:bc:de']) {
    it(`says the MAC its eFuse words hold (${mac}) in the hello line`, () => {
      const board = new ChipHarness(BRIDGE_IMAGE, { sensors: mixedSensors(1) }, 115200, Buffer.from(mac.replace(/:/g, ''), 'hex'));
      board.runUntil((lines) => lines.some((l) => l.includes('"type":"hello"')), 5, 'hello');
      const hello = JSON.parse(board.lines.find((l) => l.includes('"type":"hello"')) ?? '{}') as { mac?: string; version?: string };
      assert.equal(hello.mac, mac);
      assert.deepEqual(board.log, [], 'no unmodelled register was read');
    });
  }
});
