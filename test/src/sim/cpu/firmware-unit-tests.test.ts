// The firmware's own C unit tests, cross-compiled for lx106 as firmware/Makefile does, run under
// QEMU's lx106 core and under our CPU: the same output, byte for byte, and the same counts;
// and the firmware's main loop on its simulated bus, answering one command session alike.
import assert from 'assert';
import { execFile } from 'child_process';
import { mkdtempSync, rmSync } from 'fs';
import { tmpdir } from 'os';
import path from 'path';
import { promisify } from 'util';

import { FIRMWARE_DIR, parseCounts, requireFirmwareToolchain } from '../../../firmware/toolchain';
import { runUnderCpu, runUnderQemu } from './xtensa-programs';

describe('lx106 CPU: the firmware unit tests under QEMU and under our CPU', function () {
  this.timeout(180000);
  let dir: string;
  let elf: string;
  let bridgeElf: string;

  before(async () => {
    requireFirmwareToolchain();
    dir = mkdtempSync(path.join(tmpdir(), 'lx106-unit-tests-'));
    elf = path.join(dir, 'lx106', 'unit-tests.elf');
    bridgeElf = path.join(dir, 'lx106', 'bridge-qemu.elf');
    await promisify(execFile)('make', ['-j2', `BUILD=${dir}`, elf, bridgeElf], { cwd: FIRMWARE_DIR, maxBuffer: 4 * 1024 * 1024 });
  });

  after(() => {
    if (dir) rmSync(dir, { recursive: true, force: true });
  });

  it('prints the same results with the same counts and exit status', async () => {
    const qemu = await runUnderQemu(elf);
    const ours = runUnderCpu(elf);
    const [qemuText, ourText] = [qemu.output.toString('latin1'), ours.output.toString('latin1')];
    const counts = parseCounts(ourText);
    assert.deepStrictEqual(counts, parseCounts(qemuText));
    assert.strictEqual(counts.failed, 0, ourText);
    assert.ok(counts.passed >= 30, `${counts.passed} tests ran`);
    assert.strictEqual(ourText, qemuText);
    assert.strictEqual(ours.status, qemu.status);
    assert.strictEqual(ours.status, 0);
  });

  it('answers the same command session with the same lines from the firmware main loop', async () => {
    const input = Buffer.from('read\nres 10\nread\nscan\ninterval 1000\ninterval 0\nbogus\nhello\nread\n');
    const qemu = await runUnderQemu(bridgeElf, 60000, input);
    const ours = runUnderCpu(bridgeElf, input);
    const text = ours.output.toString('latin1');
    assert.ok(text.includes('"type":"hello"') && text.includes('"type":"temp"'), text);
    assert.strictEqual(text, qemu.output.toString('latin1'));
    assert.strictEqual(ours.status, qemu.status);
  });
});
