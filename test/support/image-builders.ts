// Small, valid ESP8266 firmware images for tests and benchmarks: v1 images written by the package's
// own writer (src/esp8266/image-writer.ts, checked byte for byte against esptool in elf2image.test.ts)
// from segments given here, v2 applications and Arduino-style single files around them.
import { createHash } from 'node:crypto';
import zlib from 'node:zlib';
import { ImageSegmentData, writeV1Image } from '../../src/esp8266/image-writer';

export interface TestImageOptions {
  segments?: ImageSegmentData[];
  entryPoint?: number;
  flashMode?: number;
  /** Header byte 3: flash size code in the high nibble, frequency in the low one. */
  sizeFrequency?: number;
  /** Extra bytes appended after the checksum. */
  trailing?: Uint8Array;
}

/** Deterministic pseudo-random bytes, so a failing test can be replayed. */
export function patternBytes(length: number, seed = 1): Uint8Array {
  const out = new Uint8Array(length);
  let state = seed >>> 0 || 1;
  for (let i = 0; i < length; i += 1) {
    state ^= state << 13;
    state >>>= 0;
    state ^= state >>> 17;
    state ^= state << 5;
    state >>>= 0;
    out[i] = state & 0xff;
  }
  return out;
}

/** A v1 image of `segments` (by default one IRAM and one DRAM segment of pattern bytes), entry 0x40100004, DIO, 4 MB at 40 MHz. */
export function buildTestImage(options: TestImageOptions = {}): Uint8Array {
  const segments = options.segments ?? [
    { address: 0x40100000, data: patternBytes(64, 7) },
    { address: 0x3ffe8000, data: patternBytes(32, 9) },
  ];
  const image = writeV1Image(
    {
      flashMode: options.flashMode ?? 0x02,
      sizeFrequency: options.sizeFrequency ?? 0x40,
      entryPoint: options.entryPoint ?? 0x40100004,
    },
    segments,
  );
  return options.trailing ? concatBytes(image, options.trailing) : image;
}

/**
 * A small valid image whose data contains `marker` (so images differ) and whose entry, at
 * 0x40100004, is `j .` (bytes 06 FF FF): the CPU runs it, quietly, forever.
 */
export function imageWithMarker(marker: string, size = 256): Uint8Array {
  const data = new Uint8Array(size);
  for (let i = 0; i < size; i++) data[i] = (i * 7) & 0xff;
  data.set(Buffer.from(marker, 'ascii'), 16);
  data.set([0x06, 0xff, 0xff], 4);
  return buildTestImage({
    segments: [
      { address: 0x40100000, data },
      { address: 0x3ffe8000, data: new Uint8Array(32).fill(0x11) },
    ],
  });
}

/** An image of about `totalBytes` bytes, its data spread over IRAM, DRAM and IROM-sized segments. */
export function buildLargeTestImage(totalBytes: number, seed = 3): Uint8Array {
  const irom = Math.max(4, Math.floor((totalBytes - 64 * 1024) / 4) * 4);
  return buildTestImage({
    segments: [
      { address: 0x40100000, data: patternBytes(32 * 1024, seed) },
      { address: 0x3ffe8000, data: patternBytes(16 * 1024, seed + 1) },
      { address: 0x40201010, data: patternBytes(irom, seed + 2) },
    ],
  });
}

export function md5Hex(bytes: Uint8Array): string {
  return createHash('md5').update(bytes).digest('hex');
}

function concatBytes(...parts: Uint8Array[]): Uint8Array {
  return new Uint8Array(Buffer.concat(parts));
}

function u32le(value: number): Uint8Array {
  const bytes = new Uint8Array(4);
  new DataView(bytes.buffer).setUint32(0, value >>> 0, true);
  return bytes;
}

/**
 * A v2 application as the NONOS SDK builds it (esptool's ESP8266V2FirmwareImage layout): an 0xEA
 * header, the irom0 segment at load address 0, a v1 image of the RAM segments, and a CRC-32 stored the
 * way the SDK's boot loader checks it (computed here with zlib's CRC, not the code under test).
 */
export function buildV2TestImage(iromBytes = 8 * 1024, seed = 5): Uint8Array {
  const irom = patternBytes(Math.ceil(iromBytes / 16) * 16, seed);
  const header = Uint8Array.of(0xea, 4, 0x02, 0x40, 0x04, 0x00, 0x10, 0x40);
  const ram = buildTestImage({
    segments: [
      { address: 0x40100000, data: patternBytes(256, seed + 1) },
      { address: 0x3ffe8000, data: patternBytes(64, seed + 2) },
    ],
  });
  const body = concatBytes(header, u32le(0), u32le(irom.length), irom, ram);
  const crc = zlib.crc32(body) >>> 0;
  return concatBytes(body, u32le(crc & 0x80000000 ? crc ^ 0xffffffff : crc + 1));
}

/**
 * The single .bin of Arduino-core and Tasmota builds: the boot loader's v1 image padded with 0xFF to
 * 4 KiB, then the application's v1 image, as the core's build concatenates eboot and the sketch.
 */
export function buildArduinoSingleFile(applicationBytes = 48 * 1024): Uint8Array {
  const bootLoader = buildTestImage({ segments: [{ address: 0x4010f000, data: patternBytes(1024, 31) }], entryPoint: 0x4010f000 });
  const padded = new Uint8Array(4096).fill(0xff);
  padded.set(bootLoader);
  return concatBytes(padded, buildLargeTestImage(applicationBytes, 33));
}
