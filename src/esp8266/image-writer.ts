// Writes an ESP8266 v1 image (the layout is in image.ts): the header, each segment's address,
// length and data, zero padding up to the last byte of a 16-byte block, then the checksum there.
import { CHECKSUM_SEED, IMAGE_MAGIC_V1 } from './image';

export interface ImageSegmentData {
  address: number;
  data: Uint8Array;
}

export interface V1ImageHeader {
  /** Header byte 2 (flash-params.ts FLASH_MODES). */
  flashMode: number;
  /** Header byte 3: the flash size code in the high nibble, the frequency in the low one. */
  sizeFrequency: number;
  entryPoint: number;
}

/** 0xEF XOR every data byte of every segment: the byte the ROM checks. */
function imageChecksum(segments: readonly ImageSegmentData[]): number {
  let checksum = CHECKSUM_SEED;
  for (const segment of segments) {
    for (const byte of segment.data) checksum ^= byte;
  }
  return checksum;
}

export function writeV1Image(header: V1ImageHeader, segments: readonly ImageSegmentData[]): Uint8Array {
  const body = segments.reduce((n, s) => n + 8 + s.data.length, 8);
  const length = Math.ceil((body + 1) / 16) * 16;
  const image = new Uint8Array(length);
  const view = new DataView(image.buffer);
  image[0] = IMAGE_MAGIC_V1;
  image[1] = segments.length;
  image[2] = header.flashMode;
  image[3] = header.sizeFrequency;
  view.setUint32(4, header.entryPoint >>> 0, true);
  let offset = 8;
  for (const segment of segments) {
    view.setUint32(offset, segment.address >>> 0, true);
    view.setUint32(offset + 4, segment.data.length, true);
    image.set(segment.data, offset + 8);
    offset += 8 + segment.data.length;
  }
  image[length - 1] = imageChecksum(segments);
  return image;
}
