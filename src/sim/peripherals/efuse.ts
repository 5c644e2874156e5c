import type { Peripheral } from '../cpu/peripheral';
import { hexBytes } from '../../hex';

/** EFUSE_DATA0..3 in DPORT space (esptool targets/esp8266.py: ESP_OTP_MAC0..3 and get_efuses). */
export const EFUSE_BASE = 0x3ff00050;
export const EFUSE_SIZE = 16;

/** The vendor prefixes esptool's `read_mac` for the ESP8266 knows by a code in word 1's bits 16..23. */
const PREFIX_CODES: Record<string, number> = { '18fe34': 0, acd074: 1 };

/**
 * A board's eFuse words, burnt at the factory: the one source of its MAC, which the ROM loader's
 * READ_REG (esptool's `read_mac`) and a program on the CPU read alike. Writes change nothing (burning
 * eFuses takes a programming sequence the bus does not offer).
 */
export class Efuse implements Peripheral {
  readonly name = 'EFUSE';
  readonly words: readonly [number, number, number, number];

  /** The words esptool decodes back into `mac`: the last three bytes in words 0 and 1, the prefix by code or in word 3. */
  constructor(readonly mac: Uint8Array) {
    if (mac.length !== 6) throw new Error('a MAC has 6 bytes');
    const prefix = Buffer.from(mac.subarray(0, 3)).toString('hex');
    const code = PREFIX_CODES[prefix];
    const word0 = (mac[5] << 24) >>> 0;
    // The top byte of word 1 holds other factory bits; a fixed value stands in for them.
    const word1 = ((0x02 << 24) | ((code ?? 0) << 16) | (mac[3] << 8) | mac[4]) >>> 0;
    const word3 = code === undefined ? ((mac[0] << 16) | (mac[1] << 8) | mac[2]) >>> 0 : 0;
    this.words = [word0, word1, 0, word3];
  }

  /** aa:bb:cc:dd:ee:ff, as esptool prints it. */
  get macAddress(): string {
    return hexBytes(this.mac, ':');
  }

  read32(offset: number): number {
    return this.words[offset >> 2] ?? 0;
  }

  write32(): void {}
}
