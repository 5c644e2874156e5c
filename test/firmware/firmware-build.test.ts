// The firmware as a whole: it builds from source, its unit tests pass on the host and on the
// lx106 ISA under QEMU, and the rebuilt image is the committed firmware/bridge.bin, byte for byte.
import assert from 'assert';
import { execFile, spawnSync } from 'child_process';
import { existsSync, readFileSync } from 'fs';
import path from 'path';
import { promisify } from 'util';

import { parseElf } from '../../src/esp8266/elf';
import { elfToImage } from '../../src/esp8266/elf2image';
import { parseImage } from '../../src/esp8266/image';
import { buildFirmware, FIRMWARE_DIR, FirmwareBuild, parseCounts, qemuArgs } from './toolchain';

const run = promisify(execFile);

// The C harness's test list (test/unit_main.c); both builds must run all of them.
const EXPECTED_TESTS = 36;

describe('firmware: build and unit tests', function () {
  this.timeout(120000);
  let build: FirmwareBuild;

  before(async () => {
    build = await buildFirmware();
  });

  after(() => {
    build?.remove();
  });

  it('passes every host unit test (gcc)', async () => {
    const { stdout } = await run(build.hostTests, [], { timeout: 30000 });
    const counts = parseCounts(stdout);
    assert.strictEqual(counts.failed, 0, stdout);
    assert.strictEqual(counts.passed, EXPECTED_TESTS);
    assert.strictEqual(counts.okLines, EXPECTED_TESTS);
  });

  it('passes the same unit tests cross-compiled for lx106 under QEMU, with identical output', async () => {
    const qemu = spawnSync('qemu-system-xtensa', qemuArgs(build.qemuTests), { encoding: 'utf8', timeout: 60000 });
    assert.strictEqual(qemu.error, undefined);
    const counts = parseCounts(qemu.stdout);
    assert.strictEqual(counts.failed, 0, qemu.stdout);
    assert.strictEqual(counts.passed, EXPECTED_TESTS);
    // the exit status is the number of failed tests
    assert.strictEqual(qemu.status, 0);
    const host = spawnSync(build.hostTests, [], { encoding: 'utf8', timeout: 30000 });
    assert.strictEqual(qemu.stdout, host.stdout);
  });

  it('rebuilds firmware/bridge.bin byte for byte', () => {
    const rebuilt = readFileSync(build.image);
    const committed = readFileSync(path.join(FIRMWARE_DIR, 'bridge.bin'));
    assert.ok(rebuilt.equals(committed),
      `the rebuilt image (${rebuilt.length} bytes) differs from firmware/bridge.bin (${committed.length} bytes): run npm run firmware and commit it`);
  });

  it('builds a deliberately mistimed image with CPU_MHZ, beside the default one, which it leaves alone', async () => {
    const image = path.join(build.dir, 'bridge-26mhz.bin');
    const buildRoot = path.dirname(path.dirname(build.espElf));
    await run('make', [`BUILD=${buildRoot}`, 'CPU_MHZ=26', `IMAGE=${image}`, image], { cwd: FIRMWARE_DIR });
    assert.ok(existsSync(path.join(buildRoot, 'esp8266-gpio4-26mhz', 'bridge.elf')));
    const halved = readFileSync(image);
    const committed = readFileSync(path.join(FIRMWARE_DIR, 'bridge.bin'));
    assert.strictEqual(parseImage(halved).imageLength, halved.length);
    assert.ok(!halved.equals(committed), 'the clock constant is compiled in');
    const defaultElf = elfToImage(parseElf(readFileSync(build.espElf)), { flashMode: 'dout', flashSize: '512KB', flashFrequency: '40m' });
    assert.ok(Buffer.from(defaultElf.image).equals(committed), 'the default build is untouched');
  });

  it('ships a valid v1 image for flash offset 0 that names the bridge firmware', () => {
    const bytes = readFileSync(path.join(FIRMWARE_DIR, 'bridge.bin'));
    const parsed = parseImage(bytes);
    assert.strictEqual(parsed.imageLength, bytes.length);
    assert.strictEqual(bytes.length % 16, 0);
    assert.strictEqual(parsed.flashMode, 'dout');

    // our own reading of the format, independent of the parser above
    assert.strictEqual(bytes[0], 0xe9);
    assert.strictEqual(bytes[1], 2);
    let offset = 8;
    let checksum = 0xef;
    const loads: Array<{ address: number; length: number }> = [];
    for (let i = 0; i < bytes[1]; i += 1) {
      const address = bytes.readUInt32LE(offset);
      const length = bytes.readUInt32LE(offset + 4);
      assert.strictEqual(length % 4, 0);
      for (const b of bytes.subarray(offset + 8, offset + 8 + length)) checksum ^= b;
      loads.push({ address, length });
      offset += 8 + length;
    }
    assert.strictEqual(bytes[bytes.length - 1], checksum);
    assert.ok(bytes.subarray(offset, bytes.length - 1).every((b) => b === 0), 'padding is zeros');
    assert.ok(bytes.length - offset <= 16);
    // code in IRAM (0x40100000, 32 KiB), data in DRAM; the entry point is inside the code
    const iram = loads.find((l) => l.address === 0x40100000);
    assert.ok(iram && iram.length <= 0x8000);
    assert.ok(loads.some((l) => l.address === 0x3ffe8000));
    const entry = bytes.readUInt32LE(4);
    assert.ok(entry >= 0x40100000 && entry < 0x40100000 + (iram?.length ?? 0));
    assert.ok(bytes.includes(Buffer.from('ds18b20-bridge')));
  });

  it('states the image size in the README', () => {
    const size = readFileSync(path.join(FIRMWARE_DIR, 'bridge.bin')).length;
    const readme = readFileSync(path.join(FIRMWARE_DIR, '..', 'README.md'), 'utf8');
    assert.match(readme, new RegExp(`firmware/bridge\\.bin\` \\(${size} bytes`));
  });

  it('reads the toolchain ELF as binutils does and writes it as the committed image', async () => {
    const { stdout } = await run('xtensa-lx106-elf-objdump', ['-h', build.espElf]);
    // "  0 .text  00001880  40100000  40100000  00002000  2**2"
    const table = [...stdout.matchAll(/^\s*\d+\s+(\S+)\s+([0-9a-f]{8})\s+([0-9a-f]{8})\s/gm)]
      .map((m) => ({ name: m[1], size: parseInt(m[2], 16), address: parseInt(m[3], 16) }));
    const elf = parseElf(readFileSync(build.espElf));
    for (const entry of table) {
      const section = elf.sections.find((s) => s.name === entry.name);
      assert.ok(section, `section ${entry.name}`);
      assert.strictEqual(section.size, entry.size, entry.name);
      assert.strictEqual(section.address, entry.address, entry.name);
    }
    assert.ok(table.some((t) => t.name === '.text') && table.some((t) => t.name === '.bss'));
    const built = elfToImage(elf, { flashMode: 'dout', flashSize: '512KB', flashFrequency: '40m' });
    assert.ok(Buffer.from(built.image).equals(readFileSync(path.join(FIRMWARE_DIR, 'bridge.bin'))));
  });

  it('calls the mask ROM only through the addresses in rom.ld', async () => {
    const { stdout } = await run('xtensa-lx106-elf-nm', [build.espElf]);
    const undefinedSymbols = stdout.split('\n').filter((l) => / U /.test(l));
    assert.deepStrictEqual(undefinedSymbols, []);
    assert.match(stdout, /^400039d8 A uart_div_modify$/m);
    // division helpers come from our own code, not from the ROM or a missing libgcc
    assert.match(stdout, /^401[0-9a-f]{5} T __udivsi3$/m);
  });
});
