import assert from 'assert';
import { spawnSync } from 'child_process';
import { mkdtempSync, readFileSync, rmSync, writeFileSync } from 'fs';
import { tmpdir } from 'os';
import path from 'path';

import { makeElf } from './elf-fixture';

const CLI = path.resolve(__dirname, '..', '..', '..', 'src', 'esp8266', 'elf-cli.js');

describe('esp8266/elf-cli: the image writer the firmware build runs', () => {
  let dir: string;

  beforeEach(() => {
    dir = mkdtempSync(path.join(tmpdir(), 'elf-cli-'));
  });

  afterEach(() => {
    rmSync(dir, { recursive: true, force: true });
  });

  it('writes the image with the requested flash parameters', () => {
    const elf = path.join(dir, 'in.elf');
    const out = path.join(dir, 'out.bin');
    writeFileSync(
      elf,
      makeElf({ entry: 0x40100000, sections: [{ name: '.text', address: 0x40100000, data: Uint8Array.from([1, 2, 3, 4]) }] }),
    );
    const run = spawnSync(process.execPath, [CLI, elf, out, '--flash-mode', 'dio', '--flash-size', '1MB', '--flash-freq', '80m'], {
      encoding: 'utf8',
    });
    assert.strictEqual(run.status, 0, run.stderr);
    const image = readFileSync(out);
    assert.deepStrictEqual([image[0], image[1], image[2], image[3]], [0xe9, 1, 0x02, 0x2f]);
    assert.match(run.stdout, /32 bytes, segments 0x40100000\+4/);
  });

  it('exits non-zero with a reason for bad input, and writes nothing', () => {
    const elf = path.join(dir, 'in.elf');
    const out = path.join(dir, 'out.bin');
    writeFileSync(elf, 'not an ELF file: '.repeat(8));
    const run = spawnSync(process.execPath, [CLI, elf, out], { encoding: 'utf8' });
    assert.strictEqual(run.status, 1);
    assert.match(run.stderr, /^elf-cli: not an ELF file/);
    assert.throws(() => readFileSync(out));

    const badOption = spawnSync(process.execPath, [CLI, elf, out, '--flash-size', '3MB'], { encoding: 'utf8' });
    assert.strictEqual(badOption.status, 1);
    assert.match(badOption.stderr, /unknown option or value: --flash-size 3MB/);
  });
});
