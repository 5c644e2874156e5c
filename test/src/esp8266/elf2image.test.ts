// The v1 image layout checked field by field (header, segment order, padding, checksum),
// following Espressif's documented format and esptool's elf2image behaviour.
import assert from 'assert';

import { parseElf, SECTION_TYPE } from '../../../src/esp8266/elf';
import { elfToImage, ImageBuildError, ImageOptions } from '../../../src/esp8266/elf2image';
import { parseImage } from '../../../src/esp8266/image';
import { FixtureSection, makeElf } from './elf-fixture';

const DOUT_512K_40M: ImageOptions = { flashMode: 'dout', flashSize: '512KB', flashFrequency: '40m' };

function build(sections: FixtureSection[], options = DOUT_512K_40M, entry = 0x40100000, machine?: number) {
  return elfToImage(parseElf(makeElf({ entry, sections, machine })), options);
}

const bytes = (...values: number[]): Uint8Array => Uint8Array.from(values);

describe('esp8266/elf2image: ELF to v1 image', () => {
  it('writes header, segments, zero padding and the checksum exactly', () => {
    const { image, irom } = build(
      [
        { name: '.text', address: 0x40100000, data: bytes(1, 2, 3, 4, 5) },
        { name: '.data', address: 0x3ffe8000, data: bytes(0x10, 0x20, 0x30, 0x40) },
      ],
      DOUT_512K_40M,
      0x40100004,
    );
    // checksum = 0xEF ^ 1^2^3^4^5 ^ 0x10^0x20^0x30^0x40 = 0xEF ^ 0x01 ^ 0x40
    assert.deepStrictEqual(Array.from(image), [
      0xe9,
      0x02,
      0x03,
      0x00,
      0x04,
      0x00,
      0x10,
      0x40, // magic, 2 segments, dout, 512KB|40m, entry
      0x00,
      0x00,
      0x10,
      0x40,
      0x08,
      0x00,
      0x00,
      0x00, // 0x40100000, 8 bytes (5 padded to 4)
      1,
      2,
      3,
      4,
      5,
      0,
      0,
      0,
      0x00,
      0x80,
      0xfe,
      0x3f,
      0x04,
      0x00,
      0x00,
      0x00, // 0x3ffe8000, 4 bytes
      0x10,
      0x20,
      0x30,
      0x40,
      0,
      0,
      0,
      0,
      0,
      0,
      0,
      0,
      0,
      0,
      0, // padding to the last byte of the 16-byte block
      0xae,
    ]);
    assert.strictEqual(irom, undefined);
    // the flasher's validator agrees
    const parsed = parseImage(image);
    assert.strictEqual(parsed.checksum, 0xae);
    assert.deepStrictEqual(
      parsed.segments.map((s) => [s.loadAddress, s.length]),
      [
        [0x40100000, 8],
        [0x3ffe8000, 4],
      ],
    );
  });

  it('encodes flash mode, size and frequency in bytes 2 and 3', () => {
    const text = [{ name: '.text', address: 0x40100000, data: bytes(0, 0, 0, 0) }];
    const dio4m80 = build(text, { flashMode: 'dio', flashSize: '4MB', flashFrequency: '80m' }).image;
    assert.deepStrictEqual([dio4m80[2], dio4m80[3]], [0x02, 0x4f]);
    const qio1m26 = build(text, { flashMode: 'qio', flashSize: '1MB', flashFrequency: '26m' }).image;
    assert.deepStrictEqual([qio1m26[2], qio1m26[3]], [0x00, 0x21]);
  });

  it('adds a whole block of padding when the segments end on a 16-byte boundary', () => {
    const { image } = build([{ name: '.text', address: 0x40100000, data: new Uint8Array(16).fill(0x11) }]);
    // 8 header + 8 segment header + 16 data = 32 bytes, then 15 zeros and the checksum
    assert.strictEqual(image.length, 48);
    assert.ok(image.subarray(32, 47).every((b) => b === 0));
    assert.strictEqual(image[47], 0xef); // sixteen equal bytes cancel out
  });

  it('keeps section-table order and merges only contiguous sections in the same memory region', () => {
    const { image, segments } = build([
      { name: '.data', address: 0x3ffe8000, data: bytes(1, 1, 1, 1) },
      { name: '.text', address: 0x40100000, data: bytes(2, 2, 2, 2, 2, 2) },
      { name: '.text.more', address: 0x40100008, data: bytes(3, 3, 3, 3) }, // follows the padded .text
      { name: '.data.apart', address: 0x3ffe8010, data: bytes(4, 4, 4, 4) }, // a gap: no merge
      { name: '.dram.top', address: 0x3ffffffc, data: bytes(5, 5, 5, 5) },
      { name: '.rom.region', address: 0x40000000, data: bytes(6, 6, 6, 6) }, // contiguous, other region
    ]);
    assert.deepStrictEqual(
      segments.map((s) => [s.address, s.data.length]),
      [
        [0x3ffe8000, 4],
        [0x40100000, 12],
        [0x3ffe8010, 4],
        [0x3ffffffc, 4],
        [0x40000000, 4],
      ],
    );
    assert.deepStrictEqual(Array.from(segments[1].data), [2, 2, 2, 2, 2, 2, 0, 0, 3, 3, 3, 3]);
    assert.strictEqual(image[1], 5);
  });

  it('leaves out .bss, debug sections at address 0, empty sections and symbol tables', () => {
    const { segments } = build([
      { name: '.text', address: 0x40100000, data: bytes(1, 2, 3, 4) },
      { name: '.bss', type: SECTION_TYPE.NOBITS, address: 0x3ffe8000, size: 256 },
      { name: '.debug_info', address: 0, data: bytes(9, 9, 9, 9) },
      { name: '.empty', address: 0x3ffe9000, data: new Uint8Array(0) },
      { name: '.symtab', type: SECTION_TYPE.SYMTAB, address: 0x3ffea000, data: bytes(7, 7, 7, 7) },
      { name: '.init_array', type: SECTION_TYPE.INIT_ARRAY, address: 0x3ffeb000, data: bytes(8, 8, 8, 8) },
    ]);
    assert.deepStrictEqual(
      segments.map((s) => s.address),
      [0x40100000, 0x3ffeb000],
    );
  });

  it('returns code linked into the flash-mapped region separately, with its flash offset', () => {
    const { image, irom } = build([
      { name: '.irom0.text', address: 0x40210000, data: bytes(1, 2, 3) },
      { name: '.text', address: 0x40100000, data: bytes(4, 5, 6, 7) },
    ]);
    assert.deepStrictEqual(irom && { offset: irom.flashOffset, data: Array.from(irom.data) }, { offset: 0x10000, data: [1, 2, 3, 0] });
    assert.strictEqual(image[1], 1);
    assert.strictEqual(new DataView(image.buffer).getUint32(8, true), 0x40100000);
  });

  it('refuses ELF files it cannot turn into a bootable image', () => {
    const text = { name: '.text', address: 0x40100000, data: bytes(0, 0, 0, 0) };
    assert.throws(
      () => build([text], DOUT_512K_40M, 0x40100000, 0x28),
      (e: Error) => e instanceof ImageBuildError && /not Xtensa/.test(e.message),
    );
    assert.throws(() => build([{ name: '.bss', type: SECTION_TYPE.NOBITS, address: 0x3ffe8000, size: 4 }]), /no sections to load/);
    const seventeen = Array.from({ length: 17 }, (_, i) => ({ name: `.s${i}`, address: 0x3ffe8000 + i * 0x10, data: bytes(i, 0, 0, 0) }));
    assert.throws(() => build(seventeen), /17 segments; the ESP8266 ROM loads at most 16/);
    assert.throws(
      () =>
        build([
          text,
          { name: '.irom0.a', address: 0x40210000, data: bytes(1, 1, 1, 1) },
          { name: '.irom0.b', address: 0x40220000, data: bytes(1, 1, 1, 1) },
        ]),
      /2 separate sections/,
    );
  });
});
