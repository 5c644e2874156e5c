// ESP8266 "v2" image (magic 0xEA): what a second-stage boot loader (the NONOS SDK's boot_v1.x, rboot)
// starts from the flash address it was written to. Layout (esptool bin_image.py,
// ESP8266V2FirmwareImage):
//   8-byte header: 0xEA, 4, flash mode, flash size/frequency, entry point (u32 LE)
//   the irom0 segment: load address 0 (it runs in place from flash), length, data (16-byte aligned)
//   a second header as in a v1 image (0xE9, segment count, …), the RAM segments, zero padding, the
//   checksum byte over those segments, then a CRC-32 (u32 LE) of every byte before it, stored as
//   esptool's esp8266_crc32 does: the IEEE CRC-32, inverted when its top bit is set, else plus one.
import { hex, hex32 } from '../hex';
import { crc32 } from '../flespi/store/crc32';
import { IMAGE_MAGIC_V1, IMAGE_MAGIC_V2, InvalidImageError, MAX_SEGMENTS, u32, walkSegments } from './image';

const HEADER_LENGTH = 8;
const SEGMENT_HEADER_LENGTH = 8;
const CRC_LENGTH = 4;

export interface ParsedV2Image {
  entryPoint: number;
  iromLength: number;
  ramSegments: number;
  /** Bytes up to and including the CRC. */
  imageLength: number;
}

/** The CRC the SDK's boot loader expects after a v2 image. */
export function esp8266Crc(bytes: Uint8Array): number {
  const crc = crc32(bytes) >>> 0;
  return crc & 0x80000000 ? (crc ^ 0xffffffff) >>> 0 : (crc + 1) >>> 0;
}

export function parseV2Image(bytes: Uint8Array): ParsedV2Image {
  if (bytes.length < 2 * HEADER_LENGTH + SEGMENT_HEADER_LENGTH || bytes[0] !== IMAGE_MAGIC_V2) {
    throw new InvalidImageError('not an ESP8266 v2 image (it must start with 0xEA and hold two headers)');
  }
  const iromLength = u32(bytes, HEADER_LENGTH + 4);
  const secondHeader = HEADER_LENGTH + SEGMENT_HEADER_LENGTH + iromLength;
  if (secondHeader + HEADER_LENGTH > bytes.length) {
    throw new InvalidImageError(`the irom0 segment of the v2 image (${iromLength} bytes) runs past the end of the file (truncated image?)`);
  }
  if (bytes[secondHeader] !== IMAGE_MAGIC_V1) {
    throw new InvalidImageError(
      `the v2 image has no second header (0xE9) after its irom0 segment, at offset ${secondHeader} (corrupted file?)`,
    );
  }
  const count = bytes[secondHeader + 1];
  if (count === 0 || count > MAX_SEGMENTS) {
    throw new InvalidImageError(`the v2 image's segment count ${count} is not between 1 and ${MAX_SEGMENTS}`);
  }
  const walk = walkSegments(bytes, secondHeader + HEADER_LENGTH, count);
  const crcOffset = walk.checksumOffset + 1;
  if (crcOffset + CRC_LENGTH > bytes.length) {
    throw new InvalidImageError('the v2 image ends before its checksum and CRC (truncated image?)');
  }
  if (bytes[walk.checksumOffset] !== walk.computed) {
    throw new InvalidImageError(
      `checksum mismatch in the v2 image: it stores ${hex(bytes[walk.checksumOffset], 2)} but its segments give ${hex(walk.computed, 2)} (corrupted file?)`,
    );
  }
  const stored = u32(bytes, crcOffset);
  const computed = esp8266Crc(bytes.subarray(0, crcOffset));
  if (stored !== computed) {
    throw new InvalidImageError(
      `CRC mismatch in the v2 image: it stores ${hex32(stored)} but its bytes give ${hex32(computed)} (corrupted file?)`,
    );
  }
  return { entryPoint: u32(bytes, 4), iromLength, ramSegments: count, imageLength: crcOffset + CRC_LENGTH };
}
