// Writes small ELF32 little-endian files for tests, laid out as a linker would: file header,
// section contents, the section-name table, then the section header table.
export interface FixtureSection {
  name: string;
  type?: number; // PROGBITS unless given
  address: number;
  data?: Uint8Array; // contents; for NOBITS give size instead
  size?: number;
  flags?: number;
}

export interface FixtureElf {
  machine?: number;
  entry: number;
  sections: FixtureSection[];
}

const SHT_PROGBITS = 1;
const SHT_STRTAB = 3;
const SHT_NOBITS = 8;

export function makeElf(spec: FixtureElf): Uint8Array {
  const names = ['', ...spec.sections.map((s) => s.name), '.shstrtab'];
  const nameOffsets: number[] = [];
  let nameTableText = '';
  for (const name of names) {
    nameOffsets.push(nameTableText.length);
    nameTableText += name + '\0';
  }
  const nameTable = Buffer.from(nameTableText, 'latin1');

  let offset = 0x34;
  const placed = spec.sections.map((s) => {
    const type = s.type ?? SHT_PROGBITS;
    const data = type === SHT_NOBITS ? new Uint8Array(0) : (s.data ?? new Uint8Array(0));
    const at = offset;
    offset += data.length;
    return { ...s, type, data, at, size: type === SHT_NOBITS ? (s.size ?? 0) : data.length };
  });
  const nameTableAt = offset;
  offset += nameTable.length;
  offset = (offset + 3) & ~3;
  const sectionTableAt = offset;
  const sectionCount = spec.sections.length + 2;
  const file = Buffer.alloc(sectionTableAt + sectionCount * 0x28);

  file.set([0x7f, 0x45, 0x4c, 0x46, 1, 1, 1], 0);
  file.writeUInt16LE(2, 0x10); // ET_EXEC
  file.writeUInt16LE(spec.machine ?? 0x5e, 0x12);
  file.writeUInt32LE(1, 0x14);
  file.writeUInt32LE(spec.entry >>> 0, 0x18);
  file.writeUInt32LE(sectionTableAt, 0x20);
  file.writeUInt16LE(0x34, 0x28);
  file.writeUInt16LE(0x28, 0x2e);
  file.writeUInt16LE(sectionCount, 0x30);
  file.writeUInt16LE(sectionCount - 1, 0x32);

  for (const s of placed) file.set(s.data, s.at);
  file.set(nameTable, nameTableAt);

  const writeHeader = (index: number, nameOffset: number, type: number, flags: number, address: number, at: number, size: number): void => {
    const h = sectionTableAt + index * 0x28;
    file.writeUInt32LE(nameOffset, h);
    file.writeUInt32LE(type, h + 4);
    file.writeUInt32LE(flags, h + 8);
    file.writeUInt32LE(address >>> 0, h + 12);
    file.writeUInt32LE(at, h + 16);
    file.writeUInt32LE(size, h + 20);
    file.writeUInt32LE(4, h + 32); // alignment
  };
  placed.forEach((s, i) => writeHeader(i + 1, nameOffsets[i + 1], s.type, s.flags ?? 0x2, s.address, s.at, s.size));
  writeHeader(sectionCount - 1, nameOffsets[names.length - 1], SHT_STRTAB, 0, 0, nameTableAt, nameTable.length);
  return new Uint8Array(file.buffer, file.byteOffset, file.length);
}
