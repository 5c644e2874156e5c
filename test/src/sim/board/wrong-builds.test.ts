// The virtual board runs whatever bytes are in flash, so a firmware built wrong fails on it the way
// it would on silicon, and a patched image says what the patch says.
import { strict as assert } from 'assert';
import { readFileSync } from 'fs';
import path from 'path';

import { REPO_ROOT } from '../../../firmware/toolchain';
import { buildBridgeImage } from '../../../support/sim/firmware-images';
import { ChipHarness } from './chip-harness';

const BRIDGE_IMAGE = new Uint8Array(readFileSync(path.join(REPO_ROOT, 'firmware', 'bridge.bin')));
const SENSORS = {
  sensors: [
    { ident: '28-0316a27950ff', temperature: 21.5 },
    { ident: '10-000802b4a1c3', temperature: -4.5, power: 'parasite' as const },
    { ident: '22-060504030201', temperature: 30.25 },
  ],
};

interface Line {
  type: string;
  code?: string;
  version?: string;
  count?: number;
}
const parsed = (lines: string[]): Line[] => lines.filter((l) => l.startsWith('{')).map((l) => JSON.parse(l) as Line);
const hasCycle = (lines: string[], from: number) => lines.slice(from).some((l) => l.includes('"type":"cycle"'));

describe('wrong firmware on the virtual ESP8266 fails as on silicon', function () {
  this.timeout(180000);

  it('a build for half the real clock (CPU_MHZ=26) breaks the slot timing: violations, then crc or no_device errors', async () => {
    // Its UART divisor is halved too: it talks at 52 MHz / 225 = 231 kBd, which a host at 230400 reads.
    const board = new ChipHarness(await buildBridgeImage({ CPU_MHZ: '26' }), SENSORS, 230400);
    board.runUntil((lines) => lines.some((l) => l.includes('"type":"sensors"')), 10, 'scan result');
    const from = board.lines.length;
    board.send('read\n');
    board.runUntil((lines) => hasCycle(lines, from), 10, 'read cycle');
    const errors = parsed(board.lines)
      .filter((e) => e.type === 'err')
      .map((e) => e.code);
    assert.ok(
      errors.some((code) => code === 'crc' || code === 'no_device'),
      `error lines: ${errors.join(', ')}`,
    );
    assert.ok(board.sensors.violations().count() > 0, 'the parts judged edges out of the data sheet');
    assert.ok(parsed(board.lines.slice(from)).every((e) => e.type !== 'temp' || e.code !== undefined));
  });

  it('a build for another pin (OW_GPIO=5) finds no sensors on the GPIO4 line', async () => {
    const board = new ChipHarness(await buildBridgeImage({ OW_GPIO: '5' }), SENSORS);
    board.runUntil((lines) => lines.some((l) => l.includes('"type":"sensors"')), 10, 'scan result');
    const scan = parsed(board.lines);
    assert.deepEqual(scan.slice(1), [
      { type: 'err', code: 'no_device' },
      { type: 'sensors', count: 0 },
    ]);
    assert.equal((scan[0] as { pin?: number }).pin, 5);
    assert.equal(board.sensors.violations().count(), 0, 'nothing ever drove the line');
  });

  it('a patched image (another version string, checksum fixed) answers with the patched text', () => {
    const patched = BRIDGE_IMAGE.slice();
    const at = Buffer.from(patched).indexOf('1.1.0\0', 0, 'latin1');
    assert.ok(at > 0, 'the version string is in the image');
    const checksumAt = patched.length - 1;
    for (const [i, byte] of [...Buffer.from('9.8.7', 'latin1')].entries()) {
      patched[checksumAt] ^= patched[at + i] ^ byte;
      patched[at + i] = byte;
    }
    const board = new ChipHarness(patched, SENSORS);
    board.runUntil((lines) => lines.some((l) => l.includes('"type":"hello"')), 5, 'hello');
    assert.equal(parsed(board.lines)[0].version, '9.8.7');
  });
});
