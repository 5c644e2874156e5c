// ESP8266 "v1" firmware image: what the boot ROM loads from flash offset 0.
// Layout (Espressif, esptool docs "firmware-image-format.rst"):
//   8-byte header: 0xE9, segment count, flash mode, flash size/frequency, entry point (u32 LE)
//   segments: load address (u32 LE), length (u32 LE, multiple of 4), data
//   zero padding up to the last byte of a 16-byte block, then the checksum byte
//   (0xEF XOR every segment data byte).
import { hex, hex32 } from '../hex';
import {
  FLASH_FREQUENCIES,
  FLASH_MODES,
  FLASH_SIZES,
  FlashFrequency,
  FlashMode,
  FlashParamsChoice,
  FlashSizeName,
  flashFrequencyName,
  flashModeName,
  flashSizeName,
} from './flash-params';

export const IMAGE_MAGIC_V1 = 0xe9;
export const IMAGE_MAGIC_V2 = 0xea;
const HEADER_LENGTH = 8;
const SEGMENT_HEADER_LENGTH = 8;
export const CHECKSUM_SEED = 0xef;
// The ROM gives up on more segments than this (esptool's ESPLoader uses the same bound).
export const MAX_SEGMENTS = 16;

// Where the ESP8266 ROM can place a segment (esptool targets/esp8266.py MEMORY_MAP, with the
// whole 64 KiB instruction RAM because images built with the cache off may use all of it).
const LOADABLE_REGIONS: ReadonlyArray<{ name: string; start: number; end: number }> = [
  { name: 'DRAM', start: 0x3ffe8000, end: 0x40000000 },
  { name: 'IRAM', start: 0x40100000, end: 0x40110000 },
  { name: 'IROM', start: 0x40200000, end: 0x40300000 },
];

// ESP32-family chip ids found in the extended header (esptool targets/*.py IMAGE_CHIP_ID).
const ESP32_CHIP_NAMES: Record<number, string> = {
  0: 'ESP32',
  2: 'ESP32-S2',
  5: 'ESP32-C3',
  9: 'ESP32-S3',
  12: 'ESP32-C2',
  13: 'ESP32-C6',
  16: 'ESP32-H2',
  18: 'ESP32-P4',
  20: 'ESP32-C61',
  23: 'ESP32-C5',
};

export class InvalidImageError extends Error {
  override name = 'InvalidImageError';
}

export interface ImageSegment {
  index: number;
  loadAddress: number;
  /** Offset of the segment's data in the file. */
  fileOffset: number;
  length: number;
}

export interface ParsedImage {
  segments: ImageSegment[];
  entryPoint: number;
  flashMode: FlashMode | undefined;
  flashModeCode: number;
  flashFrequency: FlashFrequency | undefined;
  flashFrequencyCode: number;
  flashSize: FlashSizeName | undefined;
  flashSizeCode: number;
  /** The checksum byte stored in the file; always equal to the computed one after parsing. */
  checksum: number;
  /** Bytes up to and including the checksum. */
  imageLength: number;
  /** Bytes after the checksum (e.g. an irom0 section a build tool appended at a later offset). */
  trailingLength: number;
}

export function u32(bytes: Uint8Array, offset: number): number {
  return (bytes[offset] | (bytes[offset + 1] << 8) | (bytes[offset + 2] << 16) | (bytes[offset + 3] << 24)) >>> 0;
}

function u16(bytes: Uint8Array, offset: number): number {
  return bytes[offset] | (bytes[offset + 1] << 8);
}

export interface SegmentWalk {
  segments: ImageSegment[];
  checksumOffset: number;
  computed: number;
}

export function walkSegments(bytes: Uint8Array, firstSegmentOffset: number, count: number): SegmentWalk {
  const segments: ImageSegment[] = [];
  let offset = firstSegmentOffset;
  let computed = CHECKSUM_SEED;
  for (let index = 0; index < count; index += 1) {
    if (offset + SEGMENT_HEADER_LENGTH > bytes.length) {
      throw new InvalidImageError(
        `segment ${index} header at offset ${offset} is past the end of the ${bytes.length}-byte file (truncated image?)`,
      );
    }
    const loadAddress = u32(bytes, offset);
    const length = u32(bytes, offset + 4);
    const fileOffset = offset + SEGMENT_HEADER_LENGTH;
    if (length % 4 !== 0) {
      throw new InvalidImageError(`segment ${index} length ${length} is not a multiple of 4`);
    }
    if (fileOffset + length > bytes.length) {
      throw new InvalidImageError(
        `segment ${index} (${length} bytes at offset ${fileOffset}) runs past the end of the ${bytes.length}-byte file (truncated image?)`,
      );
    }
    for (let i = fileOffset; i < fileOffset + length; i += 1) computed ^= bytes[i];
    segments.push({ index, loadAddress, fileOffset, length });
    offset = fileOffset + length;
  }
  // Zero padding fills the file up to the last byte of a 16-byte block; that byte is the checksum.
  const checksumOffset = offset + (15 - (offset % 16));
  return { segments, checksumOffset, computed };
}

function checkLoadAddresses(segments: ImageSegment[]): void {
  for (const segment of segments) {
    const end = segment.loadAddress + segment.length;
    const region = LOADABLE_REGIONS.find((r) => segment.loadAddress >= r.start && end <= r.end);
    if (!region) {
      throw new InvalidImageError(
        `segment ${segment.index} loads ${segment.length} bytes at ${hex32(segment.loadAddress)}, outside the ESP8266's RAM and flash map (not an ESP8266 image?)`,
      );
    }
  }
}

function describeEsp32Image(bytes: Uint8Array): string | undefined {
  // ESP32-family images keep the 0xE9 magic but add a 16-byte extended header after the common 8.
  const extendedEnd = HEADER_LENGTH + 16;
  if (bytes.length < extendedEnd || bytes[1] === 0 || bytes[1] > MAX_SEGMENTS) return undefined;
  const chipName = ESP32_CHIP_NAMES[u16(bytes, 12)];
  if (!chipName) return undefined;
  try {
    const walk = walkSegments(bytes, extendedEnd, bytes[1]);
    if (walk.checksumOffset >= bytes.length || bytes[walk.checksumOffset] !== walk.computed) return undefined;
  } catch {
    return undefined;
  }
  return chipName;
}

/**
 * Parses and validates an ESP8266 v1 image. Throws InvalidImageError with a message that says
 * what is wrong (and, for images for other chips or formats, what the file is instead).
 */
export function parseImage(bytes: Uint8Array): ParsedImage {
  if (bytes.length < HEADER_LENGTH + SEGMENT_HEADER_LENGTH) {
    // Neither size nor first byte is named: the file may be any file the server can read.
    throw new InvalidImageError('the file is too short for an ESP8266 image');
  }
  const magic = bytes[0];
  if (magic === IMAGE_MAGIC_V2) {
    throw new InvalidImageError(
      'this is an ESP8266 "v2" image (magic 0xEA) that needs a second-stage boot loader: write the boot loader at 0x0 and this image at its own address (e.g. 0x1000), or a v1 image (magic 0xE9) at 0x0',
    );
  }
  if (magic !== IMAGE_MAGIC_V1) {
    throw new InvalidImageError('not an ESP8266 image: it does not start with 0xE9, as every ESP8266 boot image does');
  }
  const count = bytes[1];
  if (count === 0 || count > MAX_SEGMENTS) {
    throw new InvalidImageError(`segment count ${count} is not between 1 and ${MAX_SEGMENTS}`);
  }

  let walk: SegmentWalk;
  try {
    walk = walkSegments(bytes, HEADER_LENGTH, count);
    if (walk.checksumOffset >= bytes.length) {
      throw new InvalidImageError(
        `the checksum byte at offset ${walk.checksumOffset} is past the end of the ${bytes.length}-byte file (truncated image?)`,
      );
    }
    if (bytes[walk.checksumOffset] !== walk.computed) {
      throw new InvalidImageError(
        `checksum mismatch: the image stores ${hex(bytes[walk.checksumOffset], 2)} but its segments give ${hex(walk.computed, 2)} (corrupted file?)`,
      );
    }
    checkLoadAddresses(walk.segments);
  } catch (error) {
    const esp32Chip = describeEsp32Image(bytes);
    if (esp32Chip) {
      throw new InvalidImageError(`this is an ${esp32Chip} image, not an ESP8266 image: build the firmware for the ESP8266`);
    }
    throw error;
  }

  const sizeCode = bytes[3] >> 4;
  const frequencyCode = bytes[3] & 0x0f;
  return {
    segments: walk.segments,
    entryPoint: u32(bytes, 4),
    flashMode: flashModeName(bytes[2]),
    flashModeCode: bytes[2],
    flashFrequency: flashFrequencyName(frequencyCode),
    flashFrequencyCode: frequencyCode,
    flashSize: flashSizeName(sizeCode),
    flashSizeCode: sizeCode,
    checksum: walk.computed,
    imageLength: walk.checksumOffset + 1,
    trailingLength: bytes.length - walk.checksumOffset - 1,
  };
}

/**
 * Checks that an image written at `offset` fits a flash of `flashBytes` bytes and that the flash
 * size its header announces is not larger than the chip (the SDK would then address missing flash).
 */
export function checkImageFitsFlash(image: ParsedImage, fileLength: number, offset: number, flashBytes: number): void {
  if (offset + fileLength > flashBytes) {
    throw new InvalidImageError(
      `the image (${fileLength} bytes at ${hex32(offset)}) does not fit the board's ${formatBytes(flashBytes)} flash`,
    );
  }
  const announced = image.flashSize ? FLASH_SIZES[image.flashSize].bytes : undefined;
  if (announced !== undefined && announced > flashBytes) {
    throw new InvalidImageError(
      `the image header says ${image.flashSize} of flash but the board has ${formatBytes(flashBytes)}: choose the flash size ${formatBytes(flashBytes).replace(' ', '')} (or "detect") instead of "keep"`,
    );
  }
}

export function formatBytes(bytes: number): string {
  if (bytes >= 1024 * 1024 && bytes % (1024 * 1024) === 0) return `${bytes / (1024 * 1024)} MB`;
  if (bytes >= 1024 && bytes % 1024 === 0) return `${bytes / 1024} KB`;
  return `${bytes} bytes`;
}

/**
 * Returns a copy of the image with header bytes 2-3 set as chosen ("keep" leaves a field alone).
 * The checksum covers segment data only, so it stays valid.
 */
export function patchFlashParams(bytes: Uint8Array, choice: FlashParamsChoice): Uint8Array {
  const patched = Uint8Array.from(bytes);
  if (choice.mode !== 'keep') patched[2] = FLASH_MODES[choice.mode];
  // "detect" needs the board; until it is known the header keeps its size.
  const sizeCode = choice.size === 'keep' || choice.size === 'detect' ? patched[3] >> 4 : FLASH_SIZES[choice.size].code;
  const frequencyCode = choice.frequency === 'keep' ? patched[3] & 0x0f : FLASH_FREQUENCIES[choice.frequency];
  patched[3] = (sizeCode << 4) | frequencyCode;
  return patched;
}
