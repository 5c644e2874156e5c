// Builds small, valid ESP8266 v1 images for tests (header, segments, padding, checksum).
import { createHash } from 'node:crypto';

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
