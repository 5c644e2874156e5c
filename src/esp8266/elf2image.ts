// Turns a linked ESP8266 program (ELF) into a "v1" image the boot ROM loads from flash offset 0,
// producing the same bytes as Espressif's `esptool elf2image --version 1` for the same ELF.
// Facts from esptool (bin_image.py ELFFile/ImageSegment/ESP8266ROMFirmwareImage, cmds.py
// elf2image, targets/esp8266.py MEMORY_MAP); the code is our own:
//  - segments are the ELF *sections* of type PROGBITS, INIT_ARRAY or FINI_ARRAY with a non-zero
//    address and size, in section-table order, each zero-padded to a multiple of 4 bytes;
//  - a section that starts where the previous one ends, in the same memory region, is merged
//    into it;
//  - a section in the flash-mapped region (0x40200000-0x40300000) is not loaded by the ROM but
//    written raw at flash offset (address - 0x40200000);
//  - header: 0xE9, segment count, flash mode, size<<4 | frequency, entry point (u32 LE); then per
//    segment its address, length (u32 LE each) and data; zero padding up to the last byte of a
//    16-byte block; the checksum (0xEF XOR every segment data byte) in that last byte.
import { hex } from '../hex';
import { ElfFile, ELF_MACHINE_XTENSA, SECTION_TYPE } from './elf';
import { MAX_SEGMENTS } from './image';
import { ImageSegmentData, writeV1Image } from './image-writer';
import { FLASH_FREQUENCIES, FLASH_MODES, FLASH_SIZES, FlashFrequency, FlashMode, FlashSizeName } from './flash-params';

export interface ImageOptions {
  flashMode: FlashMode;
  flashSize: FlashSizeName;
  flashFrequency: FlashFrequency;
}

export interface Esp8266Image {
  /** The v1 image, to be written at flash offset 0. */
  image: Uint8Array;
  /** The segments in the image, in order. */
  segments: ImageSegmentData[];
  /** Code linked to run from flash, to be written raw at flashOffset; absent for RAM-only programs. */
  irom?: { flashOffset: number; data: Uint8Array };
}

export class ImageBuildError extends Error {
  override name = 'ImageBuildError';
}

const MAX_SEGMENT_LENGTH = 0x1000000;
const IROM_MAP_START = 0x40200000;
const IROM_MAP_END = 0x40300000;

// esptool's ESP8266 MEMORY_MAP: sections merge only within one of these regions.
const MEMORY_REGIONS: ReadonlyArray<{ name: string; start: number; end: number }> = [
  { name: 'DPORT', start: 0x3ff00000, end: 0x3ff00010 },
  { name: 'DRAM', start: 0x3ffe8000, end: 0x40000000 },
  { name: 'IRAM', start: 0x40100000, end: 0x40108000 },
  { name: 'IROM', start: 0x40201010, end: 0x402e1010 },
];

const LOADED_TYPES: ReadonlySet<number> = new Set([SECTION_TYPE.PROGBITS, SECTION_TYPE.INIT_ARRAY, SECTION_TYPE.FINI_ARRAY]);

function regionsOf(address: number): string {
  return MEMORY_REGIONS.filter((r) => r.start <= address && address < r.end)
    .map((r) => r.name)
    .join(',');
}

function padTo4(data: Uint8Array): Uint8Array {
  const padded = new Uint8Array(Math.ceil(data.length / 4) * 4);
  padded.set(data);
  return padded;
}

function concat(a: Uint8Array, b: Uint8Array): Uint8Array {
  const joined = new Uint8Array(a.length + b.length);
  joined.set(a);
  joined.set(b, a.length);
  return joined;
}

/** The ELF sections that become image segments, padded and merged as esptool does. */
export function segmentsOf(elf: ElfFile): ImageSegmentData[] {
  const merged: ImageSegmentData[] = [];
  for (const section of elf.sections) {
    if (!LOADED_TYPES.has(section.type) || section.address === 0 || section.size === 0) continue;
    const segment = { address: section.address, data: padTo4(section.data) };
    const last = merged[merged.length - 1];
    if (last && last.address + last.data.length === segment.address && regionsOf(last.address) === regionsOf(segment.address)) {
      last.data = concat(last.data, segment.data);
    } else {
      merged.push(segment);
    }
  }
  return merged;
}

function isIrom(address: number): boolean {
  return address >= IROM_MAP_START && address < IROM_MAP_END;
}

/** Builds the v1 image (and the separate flash-mapped part, if any) of an ESP8266 ELF program. */
export function elfToImage(elf: ElfFile, options: ImageOptions): Esp8266Image {
  if (elf.machine !== ELF_MACHINE_XTENSA) {
    throw new ImageBuildError(`the ELF file is for machine ${elf.machine}, not Xtensa (${ELF_MACHINE_XTENSA}): not an ESP8266 program`);
  }
  const all = segmentsOf(elf);
  const iromSegments = all.filter((s) => isIrom(s.address));
  if (iromSegments.length > 1) {
    throw new ImageBuildError(
      `${iromSegments.length} separate sections are linked into the flash-mapped region; the linker script must put them together`,
    );
  }
  const segments = all.filter((s) => !isIrom(s.address));
  if (segments.length === 0) throw new ImageBuildError('the ELF file has no sections to load into RAM');
  if (segments.length > MAX_SEGMENTS) {
    throw new ImageBuildError(
      `${segments.length} segments; the ESP8266 ROM loads at most ${MAX_SEGMENTS} (merge sections in the linker script)`,
    );
  }
  for (const s of segments) {
    if (s.data.length >= MAX_SEGMENT_LENGTH) {
      throw new ImageBuildError(`the segment at ${hex(s.address)} has ${s.data.length} bytes, over the 16 MB limit`);
    }
  }

  const image = writeV1Image(
    {
      flashMode: FLASH_MODES[options.flashMode],
      sizeFrequency: (FLASH_SIZES[options.flashSize].code << 4) | FLASH_FREQUENCIES[options.flashFrequency],
      entryPoint: elf.entryPoint,
    },
    segments,
  );

  const result: Esp8266Image = { image, segments };
  if (iromSegments.length === 1) {
    result.irom = { flashOffset: iromSegments[0].address - IROM_MAP_START, data: iromSegments[0].data };
  }
  return result;
}
