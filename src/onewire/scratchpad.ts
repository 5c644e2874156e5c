import { hasValidCrc } from './crc8';
import { POWER_ON_MILLIDEGREES } from './reading';

/**
 * Decoding of the 9-byte scratchpad of the 1-Wire thermometers (Maxim DS18B20, DS18S20, DS1822 data sheets):
 * [0] T LSB, [1] T MSB, [2] TH, [3] TL, [4] config (DS18S20: reserved), [5] reserved, [6] reserved /
 * COUNT_REMAIN, [7] reserved / COUNT_PER_C, [8] CRC.
 */

export type ScratchpadResult =
  | { ok: true; millidegrees: number; resolution: number; powerOnPattern: boolean }
  | { ok: false; code: 'crc' | 'no_device' | 'bus_short'; message: string };

const DS18S20_FAMILY = 0x10;
/** Byte 6 reads 0x0C in the power-on scratchpad (data sheet "power-up state"); conversions overwrite it. */
const POWER_ON_BYTE6 = 0x0c;

export function decodeScratchpad(family: number, scratchpad: ArrayLike<number>): ScratchpadResult {
  if (scratchpad.length !== 9) {
    return { ok: false, code: 'crc', message: `a scratchpad has 9 bytes, got ${scratchpad.length}` };
  }
  const bytes = Array.from(scratchpad, (b) => b & 0xff);
  // A floating bus reads all ones and a shorted bus all zeros; all zeros even passes the CRC.
  if (bytes.every((b) => b === 0xff)) {
    return { ok: false, code: 'no_device', message: 'the sensor did not answer (bus reads all ones)' };
  }
  if (bytes.every((b) => b === 0x00)) {
    return { ok: false, code: 'bus_short', message: 'the bus reads all zeros: DQ is shorted to ground' };
  }
  if (!hasValidCrc(bytes)) {
    return { ok: false, code: 'crc', message: 'scratchpad CRC mismatch' };
  }
  const raw = (bytes[1] << 8) | bytes[0];
  const signed = raw & 0x8000 ? raw - 0x10000 : raw;
  if (family === DS18S20_FAMILY) return decodeDs18s20(signed, bytes);
  return decodeDs18b20(signed, bytes);
}

/** Resolution in bits from the DS18B20/DS1822 config register: 0 R1 R0 1 1 1 1 1. */
export function resolutionFromConfig(config: number): number {
  return ((config >> 5) & 0x03) + 9;
}

export function configForResolution(bits: number): number {
  if (!Number.isInteger(bits) || bits < 9 || bits > 12) throw new Error(`resolution must be 9..12 bits, got ${bits}`);
  return ((bits - 9) << 5) | 0x1f;
}

function decodeDs18b20(signed: number, bytes: number[]): ScratchpadResult {
  const resolution = resolutionFromConfig(bytes[4]);
  // Below 12 bits the lowest (12 - resolution) bits are undefined (data sheet, config register section).
  const undefinedBits = 12 - resolution;
  const masked = signed & ~((1 << undefinedBits) - 1);
  const millidegrees = Math.trunc((masked * 1000) / 16);
  return {
    ok: true,
    millidegrees,
    resolution,
    powerOnPattern: millidegrees === POWER_ON_MILLIDEGREES && bytes[6] === POWER_ON_BYTE6,
  };
}

function decodeDs18s20(signed: number, bytes: number[]): ScratchpadResult {
  const countRemain = bytes[6];
  const countPerC = bytes[7];
  // Extended resolution from the data sheet: T = T_READ - 0.25 + (COUNT_PER_C - COUNT_REMAIN) / COUNT_PER_C.
  const wholeHalves = signed >> 1;
  let millidegrees = wholeHalves * 1000;
  if (countPerC !== 0) {
    millidegrees += -250 + Math.trunc((1000 * (countPerC - countRemain)) / countPerC);
  } else if (signed & 1) {
    millidegrees += 500;
  }
  const powerOnRaw = 0x00aa;
  return {
    ok: true,
    millidegrees,
    resolution: 9,
    powerOnPattern: signed === powerOnRaw && countRemain === POWER_ON_BYTE6,
  };
}
