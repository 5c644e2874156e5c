import assert from 'assert';

import { InvalidElfError, parseElf, SECTION_TYPE } from '../../../src/esp8266/elf';
import { makeElf } from './elf-fixture';

describe('esp8266/elf: ELF32 reader', () => {
  const sample = makeElf({
    entry: 0x40100004,
    sections: [
      { name: '.text', address: 0x40100000, data: Uint8Array.from([1, 2, 3, 4, 5, 6, 7, 8]), flags: 0x6 },
      { name: '.data', address: 0x3ffe8000, data: Uint8Array.from([9, 10]) },
      { name: '.bss', type: SECTION_TYPE.NOBITS, address: 0x3ffe8004, size: 64 },
    ],
  });

  it('reads the entry point, machine and every section with its name and contents', () => {
    const elf = parseElf(sample);
    assert.strictEqual(elf.machine, 0x5e);
    assert.strictEqual(elf.entryPoint, 0x40100004);
    assert.deepStrictEqual(
      elf.sections.map((s) => s.name),
      ['', '.text', '.data', '.bss', '.shstrtab'],
    );
    const text = elf.sections[1];
    assert.strictEqual(text.type, SECTION_TYPE.PROGBITS);
    assert.strictEqual(text.address, 0x40100000);
    assert.strictEqual(text.flags, 0x6);
    assert.deepStrictEqual(Array.from(text.data), [1, 2, 3, 4, 5, 6, 7, 8]);
    assert.deepStrictEqual(Array.from(elf.sections[2].data), [9, 10]);
    const bss = elf.sections[3];
    assert.strictEqual(bss.type, SECTION_TYPE.NOBITS);
    assert.strictEqual(bss.size, 64);
    assert.strictEqual(bss.data.length, 0);
  });

  it('rejects what is not a 32-bit little-endian ELF file, saying why', () => {
    assert.throws(() => parseElf(new Uint8Array(10)), /too short/);
    const notElf = Uint8Array.from(sample);
    notElf[1] = 0x41;
    assert.throws(
      () => parseElf(notElf),
      (e: Error) => e instanceof InvalidElfError && /not an ELF file/.test(e.message),
    );
    const wide = Uint8Array.from(sample);
    wide[4] = 2;
    assert.throws(() => parseElf(wide), /not 32-bit/);
    const bigEndian = Uint8Array.from(sample);
    bigEndian[5] = 2;
    assert.throws(() => parseElf(bigEndian), /not little-endian/);
  });

  it('rejects truncated files instead of reading past the end', () => {
    assert.throws(() => parseElf(sample.subarray(0, sample.length - 8)), /section table .* runs past the end/);
    // a section whose contents would lie beyond the file
    const broken = Buffer.from(sample);
    const sectionTable = broken.readUInt32LE(0x20);
    broken.writeUInt32LE(0x7fff0000, sectionTable + 1 * 0x28 + 16);
    assert.throws(() => parseElf(broken), /section 1 .* runs past the end/);
  });
});
