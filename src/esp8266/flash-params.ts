// Flash parameters stored in bytes 2 and 3 of an ESP8266 image header.
// Values from Espressif's firmware image format documentation (esptool docs
// "firmware-image-format.rst", ESP8266 tables).

export type FlashMode = 'qio' | 'qout' | 'dio' | 'dout';
export type FlashFrequency = '40m' | '26m' | '20m' | '80m';
export type FlashSizeName = '256KB' | '512KB' | '1MB' | '2MB' | '2MB-c1' | '4MB' | '4MB-c1' | '8MB' | '16MB';

/** "keep" leaves the value that is already in the image header; size "detect" writes the board's. */
export interface FlashParamsChoice {
  mode: FlashMode | 'keep';
  frequency: FlashFrequency | 'keep';
  size: FlashSizeName | 'keep' | 'detect';
}

export const FLASH_MODES: Record<FlashMode, number> = { qio: 0, qout: 1, dio: 2, dout: 3 };
export const FLASH_FREQUENCIES: Record<FlashFrequency, number> = { '40m': 0x0, '26m': 0x1, '20m': 0x2, '80m': 0xf };

const KB = 1024;
const MB = 1024 * KB;

/** High nibble of header byte 3 → flash size. */
export const FLASH_SIZES: Record<FlashSizeName, { code: number; bytes: number }> = {
  '512KB': { code: 0x0, bytes: 512 * KB },
  '256KB': { code: 0x1, bytes: 256 * KB },
  '1MB': { code: 0x2, bytes: 1 * MB },
  '2MB': { code: 0x3, bytes: 2 * MB },
  '4MB': { code: 0x4, bytes: 4 * MB },
  '2MB-c1': { code: 0x5, bytes: 2 * MB },
  '4MB-c1': { code: 0x6, bytes: 4 * MB },
  '8MB': { code: 0x8, bytes: 8 * MB },
  '16MB': { code: 0x9, bytes: 16 * MB },
};

export function flashModeName(code: number): FlashMode | undefined {
  return (Object.keys(FLASH_MODES) as FlashMode[]).find((name) => FLASH_MODES[name] === code);
}

export function flashFrequencyName(code: number): FlashFrequency | undefined {
  return (Object.keys(FLASH_FREQUENCIES) as FlashFrequency[]).find((name) => FLASH_FREQUENCIES[name] === code);
}

export function flashSizeName(code: number): FlashSizeName | undefined {
  return (Object.keys(FLASH_SIZES) as FlashSizeName[]).find((name) => FLASH_SIZES[name].code === code);
}

/**
 * Flash size from a JEDEC id as returned by the RDID (0x9F) command: the capacity byte is
 * log2 of the size in bytes (0x14 = 1 MB, 0x16 = 4 MB). Returns undefined for an id that
 * says no flash answered (all zeros or all ones).
 */
export function flashBytesFromJedecId(jedecId: number): number | undefined {
  const capacity = (jedecId >>> 16) & 0xff;
  if (jedecId === 0 || jedecId === 0xffffff || capacity < 0x10 || capacity > 0x1a) return undefined;
  return 2 ** capacity;
}

/** The header size name that matches a byte count (the plain, non "-c1" layout). */
export function flashSizeNameForBytes(bytes: number): FlashSizeName | undefined {
  return (Object.keys(FLASH_SIZES) as FlashSizeName[]).find((name) => !name.endsWith('-c1') && FLASH_SIZES[name].bytes === bytes);
}

export function isFlashMode(value: string): value is FlashMode {
  return Object.prototype.hasOwnProperty.call(FLASH_MODES, value);
}
export function isFlashFrequency(value: string): value is FlashFrequency {
  return Object.prototype.hasOwnProperty.call(FLASH_FREQUENCIES, value);
}
export function isFlashSizeName(value: string): value is FlashSizeName {
  return Object.prototype.hasOwnProperty.call(FLASH_SIZES, value);
}
