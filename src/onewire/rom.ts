import { hexBytes } from '../hex';
import { crc8, hasValidCrc } from './crc8';

/**
 * 1-Wire ROM ids. On the wire a ROM is 8 bytes: family code, 48-bit serial (least significant byte first),
 * CRC. Linux names a device "<family>-<serial, most significant byte first>" in lower-case hex, e.g.
 * "28-0316a27950ff"; that name is the `ident` of a reading everywhere in this package.
 */

export const IDENT_PATTERN = /^[0-9a-f]{2}-[0-9a-f]{12}$/;

/** Thermometer families this package decodes (Linux drivers/w1/slaves/w1_therm.c family table). */
export const FAMILY_NAMES: Readonly<Record<number, string>> = {
  0x10: 'DS18S20',
  0x22: 'DS1822',
  0x28: 'DS18B20',
  0x3b: 'DS1825',
  0x42: 'DS28EA00',
};

export function isThermometerFamily(family: number): boolean {
  return FAMILY_NAMES[family] !== undefined;
}

/** "28-0316a27950ff" from the 8 ROM bytes (the CRC byte is not part of the name). */
export function romToIdent(rom: ArrayLike<number>): string {
  if (rom.length !== 8) throw new Error(`a ROM id has 8 bytes, got ${rom.length}`);
  // The serial number is stored least significant byte first; the name prints it the other way round.
  return `${hexBytes([rom[0]])}-${hexBytes([rom[6], rom[5], rom[4], rom[3], rom[2], rom[1]])}`;
}

/** The 8 ROM bytes (with the CRC recomputed) from an ident such as "28-0316a27950ff". */
export function identToRom(ident: string): Uint8Array {
  const normalised = ident.trim().toLowerCase();
  if (!IDENT_PATTERN.test(normalised)) {
    throw new Error(`"${ident}" is not a 1-Wire id like 28-0316a27950ff`);
  }
  const rom = new Uint8Array(8);
  rom[0] = parseInt(normalised.slice(0, 2), 16);
  for (let i = 0; i < 6; i++) {
    rom[6 - i] = parseInt(normalised.slice(3 + i * 2, 5 + i * 2), 16);
  }
  rom[7] = crc8(rom.subarray(0, 7));
  return rom;
}

/** The 16 hex digits of a ROM in wire order ("28ff5079a2160346"), as 1-Wire tools print it. */
export function romToHex(rom: ArrayLike<number>): string {
  return hexBytes(rom);
}

/** Parses 16 hex digits in wire order; throws when the length or the CRC is wrong. */
export function hexToRom(hex: string): Uint8Array {
  if (!/^[0-9a-fA-F]{16}$/.test(hex)) throw new Error(`"${hex}" is not 16 hex digits`);
  const rom = new Uint8Array(8);
  for (let i = 0; i < 8; i++) rom[i] = parseInt(hex.slice(i * 2, i * 2 + 2), 16);
  if (!hasValidCrc(rom)) throw new Error(`ROM ${hex} has a bad CRC`);
  return rom;
}

/** The order a ROM search (Maxim AN187) finds ids in: bits compared from bit 0 of byte 0 up, 0 first. */
export function compareSearchOrder(a: ArrayLike<number>, b: ArrayLike<number>): number {
  for (let bit = 0; bit < 64; bit++) {
    const x = (a[bit >> 3] >> (bit & 7)) & 1;
    const y = (b[bit >> 3] >> (bit & 7)) & 1;
    if (x !== y) return x - y;
  }
  return 0;
}
