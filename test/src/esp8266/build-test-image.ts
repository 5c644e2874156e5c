// Builds small, valid ESP8266 v1 images for tests (header, segments, padding, checksum).
import { createHash } from 'node:crypto';
import zlib from 'node:zlib';

export interface TestSegment { loadAddress: number; data: Uint8Array }

export interface TestImageOptions {
  segments?: TestSegment[];
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
    state ^= state << 13; state >>>= 0;
    state ^= state >>> 17;
    state ^= state << 5; state >>>= 0;
    out[i] = state & 0xff;
  }
  return out;
}

export function buildTestImage(options: TestImageOptions = {}): Uint8Array {
  const segments = options.segments ?? [
    { loadAddress: 0x40100000, data: patternBytes(64, 7) },
    { loadAddress: 0x3ffe8000, data: patternBytes(32, 9) },
  ];
  const parts: number[] = [0xe9, segments.length, options.flashMode ?? 0x02, options.sizeFrequency ?? 0x40];
  const pushU32 = (v: number) => parts.push(v & 0xff, (v >>> 8) & 0xff, (v >>> 16) & 0xff, (v >>> 24) & 0xff);
  pushU32(options.entryPoint ?? 0x40100004);
  let checksum = 0xef;
  for (const segment of segments) {
    pushU32(segment.loadAddress);
    pushU32(segment.data.length);
    for (const byte of segment.data) { parts.push(byte); checksum ^= byte; }
  }
  while (parts.length % 16 !== 15) parts.push(0);
  parts.push(checksum);
  const image = Uint8Array.from(parts);
  if (!options.trailing) return image;
  const withTrailing = new Uint8Array(image.length + options.trailing.length);
  withTrailing.set(image);
  withTrailing.set(options.trailing, image.length);
  return withTrailing;
}

/** An image of about `totalBytes` bytes, its data spread over IRAM, DRAM and IROM-sized segments. */
export function buildLargeTestImage(totalBytes: number, seed = 3): Uint8Array {
  const irom = Math.max(4, Math.floor((totalBytes - 64 * 1024) / 4) * 4);
  return buildTestImage({
    segments: [
      { loadAddress: 0x40100000, data: patternBytes(32 * 1024, seed) },
      { loadAddress: 0x3ffe8000, data: patternBytes(16 * 1024, seed + 1) },
      { loadAddress: 0x40201010, data: patternBytes(irom, seed + 2) },
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
  const ram = buildTestImage({ segments: [{ loadAddress: 0x40100000, data: patternBytes(256, seed + 1) }, { loadAddress: 0x3ffe8000, data: patternBytes(64, seed + 2) }] });
  const body = concatBytes(header, u32le(0), u32le(irom.length), irom, ram);
  const crc = zlib.crc32(body) >>> 0;
  return concatBytes(body, u32le(crc & 0x80000000 ? crc ^ 0xffffffff : crc + 1));
}

/**
 * The single .bin of Arduino-core and Tasmota builds: the boot loader's v1 image padded with 0xFF to
 * 4 KiB, then the application's v1 image, as the core's build concatenates eboot and the sketch.
 */
export function buildArduinoSingleFile(applicationBytes = 48 * 1024): Uint8Array {
  const bootLoader = buildTestImage({ segments: [{ loadAddress: 0x4010f000, data: patternBytes(1024, 31) }], entryPoint: 0x4010f000 });
  const padded = new Uint8Array(4096).fill(0xff);
  padded.set(bootLoader);
  return concatBytes(padded, buildLargeTestImage(applicationBytes, 33));
}
