// Firmware in several parts, each written at its own flash address (esptool-js's `{ address, data }`
// convention): a boot image at 0, v2 applications, init data, filesystem images. Everything here is
// checked before any port is taken; what needs the board (its flash size) is checked once it is known,
// before anything is erased.
import { hex } from '../hex';
import { LIMITS } from '../field-rules';
import { FlashError } from './flash-errors';
import { FlashParamsChoice, flashSizeNameForBytes } from './flash-params';
import {
  IMAGE_MAGIC_V1,
  IMAGE_MAGIC_V2,
  InvalidImageError,
  ParsedImage,
  checkImageFitsFlash,
  formatBytes,
  parseImage,
  patchFlashParams,
} from './image';
import { parseV2Image } from './image-v2';

export interface FlashPart {
  address: number;
  data: Uint8Array;
}

export type PartKind = 'boot-image' | 'v2-image' | 'data';

export interface PreparedPart {
  address: number;
  /** What is written: the header patched where asked, padded to whole words. */
  bytes: Uint8Array;
  kind: PartKind;
  /** The boot image's parse, for the part at 0. */
  boot?: ParsedImage;
}

/** The erase unit of the ESP8266's SPI flash: every part starts on one. */
const PART_ALIGNMENT = LIMITS.flashSector;
const MAX_FLASH_BYTES = LIMITS.flashBytes;
const MAX_PARTS = LIMITS.flashParts;

function invalid(message: string, cause?: unknown): FlashError {
  return new FlashError('invalid-image', `invalid firmware image: ${message}`, cause);
}

/** The part's name in messages: its address. */
function at(address: number): string {
  return `the part at ${hex(address, 6)}`;
}

/** Pads to a multiple of 4 with 0xFF (erased flash), as the loader writes whole words. */
function padToWords(bytes: Uint8Array): Uint8Array {
  if (bytes.length % 4 === 0) return bytes;
  const padded = new Uint8Array(bytes.length + (4 - (bytes.length % 4))).fill(0xff);
  padded.set(bytes);
  return padded;
}

function sectorEnd(part: { address: number; bytes: Uint8Array }): number {
  return part.address + Math.ceil(part.bytes.length / PART_ALIGNMENT) * PART_ALIGNMENT;
}

function withImageErrors<T>(address: number, check: () => T): T {
  try {
    return check();
  } catch (error) {
    if (error instanceof InvalidImageError) throw invalid(address === 0 ? error.message : `${at(address)}: ${error.message}`, error);
    throw error;
  }
}

/**
 * The single-file layout of Arduino-core and Tasmota builds: the boot loader's v1 image, padded with
 * 0xFF to 4 KiB, then the application's v1 image at 0x1000. The application is checked as well.
 */
function checkAppendedApplication(bytes: Uint8Array, boot: ParsedImage): void {
  if (boot.imageLength > PART_ALIGNMENT || bytes.length <= PART_ALIGNMENT) return;
  const appended = bytes.subarray(PART_ALIGNMENT);
  if (appended[0] === IMAGE_MAGIC_V1) {
    withImageErrors(PART_ALIGNMENT, () => parseImage(appended));
  } else if (appended[0] === IMAGE_MAGIC_V2) {
    withImageErrors(PART_ALIGNMENT, () => parseV2Image(appended));
  }
}

function preparePart(part: FlashPart, flashParams: FlashParamsChoice | undefined): PreparedPart {
  const { address, data } = part;
  if (address === 0) {
    return withImageErrors(0, () => {
      parseImage(data);
      const bytes = padToWords(flashParams ? patchFlashParams(data, flashParams) : data);
      const boot = parseImage(bytes);
      checkAppendedApplication(bytes, boot);
      return { address, bytes, kind: 'boot-image' as const, boot };
    });
  }
  if (data[0] === IMAGE_MAGIC_V2) {
    withImageErrors(address, () => parseV2Image(data));
    return { address, bytes: padToWords(data), kind: 'v2-image' };
  }
  return { address, bytes: padToWords(data), kind: 'data' };
}

function checkShape(part: unknown, index: number): FlashPart {
  const { address, data } = (part ?? {}) as Partial<FlashPart>;
  if (typeof address !== 'number' || !Number.isInteger(address) || address < 0 || address >= MAX_FLASH_BYTES) {
    throw invalid(`part ${index + 1} needs an address: a whole number from 0 to ${hex(MAX_FLASH_BYTES - 1, 6)}`);
  }
  if (!(data instanceof Uint8Array) || data.length === 0) throw invalid(`${at(address)} needs its bytes as a non-empty Buffer in "data"`);
  if (address % PART_ALIGNMENT !== 0) throw invalid(`${at(address)} does not start on a 4 KB sector boundary (a multiple of 0x1000)`);
  if (address + data.length > MAX_FLASH_BYTES) {
    throw new FlashError(
      'image-too-large',
      `${at(address)} (${data.length} bytes) ends past ${formatBytes(MAX_FLASH_BYTES)}, the most an ESP8266 addresses`,
    );
  }
  return { address, data };
}

/** Validates the parts without any port: shape, alignment, overlaps, and each part's format. Sorted by address. */
export function prepareParts(parts: readonly unknown[], flashParams?: FlashParamsChoice): PreparedPart[] {
  if (parts.length === 0) throw invalid('no part to write');
  if (parts.length > MAX_PARTS) throw invalid(`${parts.length} parts: at most ${MAX_PARTS} are written at once`);
  const checked = parts.map(checkShape).sort((a, b) => a.address - b.address);
  const prepared = checked.map((part) => preparePart(part, flashParams));
  for (let i = 1; i < prepared.length; i++) {
    const previous = prepared[i - 1];
    // Writing erases whole sectors: a part ending inside a sector owns the rest of it.
    if (sectorEnd(previous) > prepared[i].address) {
      throw invalid(
        `${at(previous.address)} (${previous.bytes.length} bytes, to ${hex(sectorEnd(previous), 6)} in whole sectors) overlaps ${at(prepared[i].address)}`,
      );
    }
  }
  return prepared;
}

/**
 * Once the board's flash size is known: every part within it, the boot image's header size filled in
 * for "detect", and no header announcing more flash than the board has.
 */
export function fitPartsToFlash(parts: PreparedPart[], flashParams: FlashParamsChoice | undefined, flashSizeBytes: number): PreparedPart[] {
  return parts.map((part) => {
    if (part.address + part.bytes.length > flashSizeBytes) {
      throw invalid(`${at(part.address)} (${part.bytes.length} bytes) does not fit the board's ${formatBytes(flashSizeBytes)} flash`);
    }
    if (!part.boot) return part;
    const detected = flashSizeNameForBytes(flashSizeBytes);
    const bytes =
      flashParams?.size === 'detect' && detected
        ? patchFlashParams(part.bytes, { mode: 'keep', frequency: 'keep', size: detected })
        : part.bytes;
    return withImageErrors(0, () => {
      const boot = parseImage(bytes);
      checkImageFitsFlash(boot, bytes.length, 0, flashSizeBytes);
      return { ...part, bytes, boot };
    });
  });
}
