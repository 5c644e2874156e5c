import assert from 'node:assert/strict';
import { FlashError } from '../../../src/esp8266/flash-errors';
import { fitPartsToFlash, prepareParts } from '../../../src/esp8266/flash-parts';
import { buildArduinoSingleFile, buildTestImage, buildV2TestImage, patternBytes } from '../../support/image-builders';

const MB = 1024 * 1024;

function refused(pattern: RegExp, code = 'invalid-image') {
  return (error: unknown) => {
    assert.ok(error instanceof FlashError, String(error));
    assert.equal(error.code, code, error.message);
    assert.match(error.message, pattern);
    return true;
  };
}

function flipped(bytes: Uint8Array, offset: number): Uint8Array {
  const copy = Uint8Array.from(bytes);
  copy[offset] ^= 0x01;
  return copy;
}

describe('firmware parts: checks before the port is taken', () => {
  it('accepts a boot image, a v2 application and data parts, sorted by address and each named by kind', () => {
    const parts = prepareParts([
      { address: 0x3fc000, data: patternBytes(128, 1) },
      { address: 0x1000, data: buildV2TestImage() },
      { address: 0, data: buildTestImage() },
    ]);
    assert.deepEqual(
      parts.map((p) => [p.address, p.kind]),
      [
        [0, 'boot-image'],
        [0x1000, 'v2-image'],
        [0x3fc000, 'data'],
      ],
    );
  });

  it('accepts the Arduino/Tasmota single file and checks the application inside it', () => {
    const single = buildArduinoSingleFile();
    assert.equal(prepareParts([{ address: 0, data: single }])[0].kind, 'boot-image');
    assert.throws(
      () => prepareParts([{ address: 0, data: flipped(single, 0x1000 + 40) }]),
      refused(/the part at 0x001000: checksum mismatch/),
    );
  });

  it('pads a part to whole words with erased-flash bytes', () => {
    const [part] = prepareParts([{ address: 0x100000, data: Uint8Array.of(1, 2, 3, 4, 5) }]);
    assert.deepEqual([...part.bytes], [1, 2, 3, 4, 5, 0xff, 0xff, 0xff]);
  });

  it('refuses parts off a sector boundary, overlapping, empty or without an address', () => {
    assert.throws(
      () => prepareParts([{ address: 0x1800, data: patternBytes(16) }]),
      refused(/the part at 0x001800 does not start on a 4 KB sector boundary/),
    );
    // 5000 bytes at 0 reach into the sector at 0x1000, which their write erases.
    assert.throws(
      () =>
        prepareParts([
          { address: 0x1000, data: patternBytes(16) },
          { address: 0, data: buildTestImage({ trailing: patternBytes(4900) }) },
        ]),
      refused(/the part at 0x000000 \(\d+ bytes, to 0x002000 in whole sectors\) overlaps the part at 0x001000/),
    );
    assert.throws(() => prepareParts([{ address: 0x2000, data: new Uint8Array(0) }]), refused(/the part at 0x002000 needs its bytes/));
    assert.throws(() => prepareParts([{ address: -4096, data: patternBytes(4) }]), refused(/part 1 needs an address/));
    assert.throws(() => prepareParts([{ data: patternBytes(4) }]), refused(/part 1 needs an address/));
    assert.throws(() => prepareParts([]), refused(/no part to write/));
    assert.throws(
      () => prepareParts(Array.from({ length: 17 }, (_, i) => ({ address: i * 0x1000, data: patternBytes(4) }))),
      refused(/17 parts: at most 16/),
    );
  });

  it('refuses an invalid boot image at 0 and a v2 image whose checksum or CRC is wrong', () => {
    assert.throws(() => prepareParts([{ address: 0, data: patternBytes(64) }]), refused(/not an ESP8266 image/));
    assert.throws(() => prepareParts([{ address: 0, data: buildV2TestImage() }]), refused(/v2.*second-stage boot loader/));
    const v2 = buildV2TestImage();
    assert.throws(
      () => prepareParts([{ address: 0x1000, data: flipped(v2, 100) }]),
      refused(/the part at 0x001000: CRC mismatch in the v2 image/),
    );
    assert.throws(
      () => prepareParts([{ address: 0x1000, data: flipped(v2, v2.length - 30) }]),
      refused(/the part at 0x001000: checksum mismatch in the v2 image/),
    );
    assert.throws(
      () => prepareParts([{ address: 0x1000, data: v2.subarray(0, 2000) }]),
      refused(/the part at 0x001000: .*truncated image/),
    );
  });

  it('refuses, once the board is known, a part past the end of its flash, and fills in the size for "detect"', () => {
    const parts = prepareParts([
      { address: 0, data: buildTestImage({ sizeFrequency: 0x00 }) },
      { address: 0x300000, data: patternBytes(4096) },
    ]);
    assert.throws(
      () => fitPartsToFlash(parts, undefined, 1 * MB),
      refused(/the part at 0x300000 \(4096 bytes\) does not fit the board's 1 MB flash/),
    );
    const fitted = fitPartsToFlash(parts, { mode: 'keep', frequency: 'keep', size: 'detect' }, 4 * MB);
    assert.equal(fitted[0].boot?.flashSize, '4MB');
    assert.throws(() => prepareParts([{ address: 0xfff000, data: patternBytes(8192) }]), refused(/ends past 16 MB/, 'image-too-large'));
  });
});
