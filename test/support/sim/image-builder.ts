// Builds ESP8266 v1 images for tests (layout from Espressif's firmware-image-format.rst): header,
// segments, zero padding to one byte before a 16-byte boundary, then the XOR checksum seeded 0xEF.
export interface TestSegment {
  address: number;
  data: Uint8Array;
}

export function buildV1Image(segments: TestSegment[], entry = 0x40100004): Uint8Array {
  const parts: number[] = [0xe9, segments.length, 0x02, 0x40];
  const push32 = (value: number) => parts.push(value & 0xff, (value >>> 8) & 0xff, (value >>> 16) & 0xff, (value >>> 24) & 0xff);
  push32(entry);
  let checksum = 0xef;
  for (const segment of segments) {
    if (segment.data.length % 4 !== 0) throw new Error('segment length must be a multiple of 4');
    push32(segment.address);
    push32(segment.data.length);
    for (const byte of segment.data) {
      parts.push(byte);
      checksum ^= byte;
    }
  }
  while (parts.length % 16 !== 15) parts.push(0);
  parts.push(checksum);
  return Uint8Array.from(parts);
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
  return buildV1Image([{ address: 0x40100000, data }, { address: 0x3ffe8000, data: new Uint8Array(32).fill(0x11) }]);
}
