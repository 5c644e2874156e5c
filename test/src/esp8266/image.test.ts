import assert from 'node:assert/strict';
import fc from 'fast-check';
import { InvalidImageError, checkImageFitsFlash, parseImage, patchFlashParams } from '../../../src/esp8266/image';
import { buildTestImage, patternBytes } from '../../support/image-builders';

function corrupt(image: Uint8Array, change: (copy: Uint8Array) => void): Uint8Array {
  const copy = Uint8Array.from(image);
  change(copy);
  return copy;
}

function setU32(bytes: Uint8Array, offset: number, value: number): void {
  bytes[offset] = value & 0xff;
  bytes[offset + 1] = (value >>> 8) & 0xff;
  bytes[offset + 2] = (value >>> 16) & 0xff;
  bytes[offset + 3] = (value >>> 24) & 0xff;
}

function rejects(bytes: Uint8Array, pattern: RegExp): void {
  assert.throws(
    () => parseImage(bytes),
    (error: unknown) => error instanceof InvalidImageError && pattern.test(error.message),
  );
}

describe('ESP8266 image parser', () => {
  const good = buildTestImage();

  it('reads header fields, segments and checksum of a valid image', () => {
    const parsed = parseImage(good);
    assert.equal(parsed.entryPoint, 0x40100004);
    assert.equal(parsed.flashMode, 'dio');
    assert.equal(parsed.flashSize, '4MB');
    assert.equal(parsed.flashFrequency, '40m');
    assert.deepEqual(
      parsed.segments.map((s) => [s.loadAddress, s.length, s.fileOffset]),
      [
        [0x40100000, 64, 16],
        [0x3ffe8000, 32, 88],
      ],
    );
    assert.equal(parsed.imageLength, good.length);
    assert.equal(parsed.imageLength % 16, 0);
    assert.equal(parsed.checksum, good[good.length - 1]);
    assert.equal(parsed.trailingLength, 0);
  });

  it('accepts data after the checksum and reports its length', () => {
    const parsed = parseImage(buildTestImage({ trailing: patternBytes(100) }));
    assert.equal(parsed.trailingLength, 100);
  });

  it('rejects a file too short to be an image', () => {
    rejects(new Uint8Array(10), /too short/);
  });

  it('rejects a wrong magic byte without naming the byte the file starts with', () => {
    for (const first of [0x7f, 0xff]) {
      assert.throws(
        () =>
          parseImage(
            corrupt(good, (b) => {
              b[0] = first;
            }),
          ),
        (error: unknown) =>
          error instanceof InvalidImageError &&
          /not an ESP8266 image: it does not start with 0xE9/.test(error.message) &&
          !/0x7f|0xff/i.test(error.message),
      );
    }
  });

  it('refuses a v2 (0xEA) image with a hint at the v1 format', () => {
    rejects(
      corrupt(good, (b) => {
        b[0] = 0xea;
      }),
      /v2.*second-stage boot loader/,
    );
  });

  it('rejects a segment count of zero or above 16', () => {
    rejects(
      corrupt(good, (b) => {
        b[1] = 0;
      }),
      /segment count 0/,
    );
    rejects(
      corrupt(good, (b) => {
        b[1] = 17;
      }),
      /segment count 17/,
    );
  });

  it('rejects a segment length that is not a multiple of 4', () => {
    rejects(
      corrupt(good, (b) => setU32(b, 12, 62)),
      /segment 0 length 62 is not a multiple of 4/,
    );
  });

  it('rejects a segment that runs past the end of the file', () => {
    rejects(
      corrupt(good, (b) => setU32(b, 12, 4096)),
      /segment 0 .* runs past the end/,
    );
    rejects(good.subarray(0, 100), /segment 1 .* runs past the end/);
  });

  it('rejects a missing checksum byte', () => {
    rejects(good.subarray(0, good.length - 1), /checksum byte .* past the end/);
  });

  it('rejects a flipped data bit through the checksum', () => {
    rejects(
      corrupt(good, (b) => {
        b[20] ^= 0x01;
      }),
      /checksum mismatch/,
    );
  });

  it('rejects a segment loaded outside the ESP8266 memory map', () => {
    const image = buildTestImage({ segments: [{ address: 0x20000000, data: patternBytes(8) }] });
    rejects(image, /outside the ESP8266's RAM and flash map/);
  });

  it('recognises an ESP32-family image by its extended header', () => {
    // 8-byte common header, 16-byte extended header (chip id 9 = ESP32-S3), one segment, checksum.
    const data = patternBytes(16, 5);
    const bytes: number[] = [0xe9, 1, 2, 0x20, 0x00, 0x00, 0x38, 0x40, 0xee, 0, 0, 0, 9, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0];
    bytes.push(0x00, 0x00, 0x38, 0x40, data.length, 0, 0, 0, ...data);
    let checksum = 0xef;
    for (const byte of data) checksum ^= byte;
    while (bytes.length % 16 !== 15) bytes.push(0);
    bytes.push(checksum);
    rejects(Uint8Array.from(bytes), /ESP32-S3 image, not an ESP8266 image/);
  });

  it('checks the image against the detected flash size', () => {
    const parsed = parseImage(good);
    assert.doesNotThrow(() => checkImageFitsFlash(parsed, good.length, 0, 4 * 1024 * 1024));
    assert.throws(() => checkImageFitsFlash(parsed, good.length, 0, 1024 * 1024), /header says 4MB .* board has 1 MB/);
    assert.throws(() => checkImageFitsFlash(parsed, 2 * 1024 * 1024, 0, 1024 * 1024), /does not fit the board's 1 MB flash/);
  });

  it('patches flash mode, size and frequency and keeps the rest', () => {
    const patched = patchFlashParams(good, { mode: 'qio', size: '1MB', frequency: '80m' });
    const parsed = parseImage(patched);
    assert.equal(parsed.flashMode, 'qio');
    assert.equal(parsed.flashSize, '1MB');
    assert.equal(parsed.flashFrequency, '80m');
    assert.deepEqual(patched.subarray(4), good.subarray(4));
    const kept = patchFlashParams(good, { mode: 'keep', size: 'keep', frequency: '26m' });
    assert.equal(kept[2], good[2]);
    assert.equal(kept[3], 0x41);
    assert.equal(good[3], 0x40, 'the input is not modified');
  });

  it('never throws anything but InvalidImageError on arbitrary or mutated input (fuzz)', () => {
    const expectOnlyImageErrors = (bytes: Uint8Array) => {
      try {
        const parsed = parseImage(bytes);
        assert.ok(parsed.imageLength <= bytes.length);
      } catch (error) {
        if (!(error instanceof InvalidImageError)) throw error;
      }
    };
    fc.assert(fc.property(fc.uint8Array({ maxLength: 512 }), expectOnlyImageErrors), { numRuns: 300, seed: 42 });
    fc.assert(
      fc.property(fc.integer({ min: 0, max: good.length - 1 }), fc.integer({ min: 1, max: 255 }), (index, flip) => {
        const mutated = corrupt(good, (b) => {
          b[index] ^= flip;
        });
        expectOnlyImageErrors(mutated);
        // A change to a segment's data bytes must always be caught by the checksum.
        const inData = (index >= 16 && index < 80) || (index >= 88 && index < 120);
        if (inData) assert.throws(() => parseImage(mutated), /checksum mismatch/);
      }),
      { numRuns: 300, seed: 7 },
    );
  });
});
