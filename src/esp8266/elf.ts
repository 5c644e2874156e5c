// A reader for 32-bit little-endian ELF files, enough to turn a linked ESP8266 program into a
// flash image: the file header and the section table with names and contents.
// Field layout from the System V ABI "ELF object file format" (ELF32_Ehdr, ELF32_Shdr).
import { hex } from '../hex';

export class InvalidElfError extends Error {
  override name = 'InvalidElfError';
}

export const ELF_MACHINE_XTENSA = 0x5e;

export const SECTION_TYPE = {
  NULL: 0,
  PROGBITS: 1,
  SYMTAB: 2,
  STRTAB: 3,
  NOBITS: 8,
  INIT_ARRAY: 14,
  FINI_ARRAY: 15,
} as const;

export interface ElfSection {
  name: string;
  type: number;
  flags: number;
  address: number;
  /** Offset of the contents in the file (meaningless for NOBITS). */
  fileOffset: number;
  size: number;
  /** The section's bytes in the file; empty for NOBITS. */
  data: Uint8Array;
}

export interface ElfFile {
  machine: number;
  entryPoint: number;
  sections: ElfSection[];
}

const FILE_HEADER_LENGTH = 0x34;
const SECTION_HEADER_LENGTH = 0x28;
// Every section header costs 40 bytes; a few thousand is far more than any firmware has.
const MAX_SECTIONS = 4096;

/** Parses an ELF32 LE file; throws InvalidElfError saying what is wrong. */
export function parseElf(bytes: Uint8Array): ElfFile {
  if (bytes.length < FILE_HEADER_LENGTH) {
    throw new InvalidElfError(`the file has ${bytes.length} bytes: too short for an ELF header`);
  }
  if (bytes[0] !== 0x7f || bytes[1] !== 0x45 || bytes[2] !== 0x4c || bytes[3] !== 0x46) {
    throw new InvalidElfError('not an ELF file (the first bytes are not 0x7f "ELF")');
  }
  if (bytes[4] !== 1) throw new InvalidElfError(`ELF class ${bytes[4]} is not 32-bit (1)`);
  if (bytes[5] !== 1) throw new InvalidElfError(`ELF data encoding ${bytes[5]} is not little-endian (1)`);

  const view = new DataView(bytes.buffer, bytes.byteOffset, bytes.byteLength);
  const machine = view.getUint16(0x12, true);
  const entryPoint = view.getUint32(0x18, true);
  const sectionTableOffset = view.getUint32(0x20, true);
  const sectionHeaderLength = view.getUint16(0x2e, true);
  const sectionCount = view.getUint16(0x30, true);
  const namesIndex = view.getUint16(0x32, true);

  if (sectionCount === 0) throw new InvalidElfError('the ELF file has no section headers');
  if (sectionCount > MAX_SECTIONS) throw new InvalidElfError(`the ELF file claims ${sectionCount} sections`);
  if (sectionHeaderLength !== SECTION_HEADER_LENGTH) {
    throw new InvalidElfError(`section header size is ${sectionHeaderLength}, expected ${SECTION_HEADER_LENGTH}`);
  }
  if (sectionTableOffset + sectionCount * SECTION_HEADER_LENGTH > bytes.length) {
    throw new InvalidElfError(`the section table at ${hex(sectionTableOffset)} runs past the end of the file (truncated?)`);
  }
  if (namesIndex >= sectionCount) {
    throw new InvalidElfError(`the section-name table index ${namesIndex} is not a section`);
  }

  const raw = Array.from({ length: sectionCount }, (_, index) => {
    const at = sectionTableOffset + index * SECTION_HEADER_LENGTH;
    return {
      nameOffset: view.getUint32(at, true),
      type: view.getUint32(at + 4, true),
      flags: view.getUint32(at + 8, true),
      address: view.getUint32(at + 12, true),
      fileOffset: view.getUint32(at + 16, true),
      size: view.getUint32(at + 20, true),
    };
  });

  const contents = (index: number, offset: number, size: number): Uint8Array => {
    if (offset + size > bytes.length) {
      throw new InvalidElfError(`section ${index} (${size} bytes at ${hex(offset)}) runs past the end of the file (truncated?)`);
    }
    return bytes.subarray(offset, offset + size);
  };

  const names = raw[namesIndex];
  const nameTable = contents(namesIndex, names.fileOffset, names.size);
  const nameAt = (offset: number): string => {
    if (offset >= nameTable.length) return '';
    let end = offset;
    while (end < nameTable.length && nameTable[end] !== 0) end += 1;
    return Buffer.from(nameTable.subarray(offset, end)).toString('latin1');
  };

  const sections = raw.map((s, index): ElfSection => ({
    name: nameAt(s.nameOffset),
    type: s.type,
    flags: s.flags,
    address: s.address,
    fileOffset: s.fileOffset,
    size: s.size,
    data: s.type === SECTION_TYPE.NOBITS || s.type === SECTION_TYPE.NULL ? new Uint8Array(0) : contents(index, s.fileOffset, s.size),
  }));

  return { machine, entryPoint, sections };
}
