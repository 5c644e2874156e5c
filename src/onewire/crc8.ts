/**
 * Dallas/Maxim 1-Wire CRC-8 (CRC-8/MAXIM-DOW): polynomial x^8 + x^5 + x^4 + 1, processed LSB first
 * (reflected form 0x8C), initial value 0, no final xor. Maxim application note 27.
 */
export function crc8(bytes: ArrayLike<number>): number {
  let crc = 0;
  for (let i = 0; i < bytes.length; i++) {
    let byte = bytes[i] & 0xff;
    for (let bit = 0; bit < 8; bit++) {
      const mix = (crc ^ byte) & 0x01;
      crc >>= 1;
      if (mix) crc ^= 0x8c;
      byte >>= 1;
    }
  }
  return crc;
}

/** True when the last byte is the CRC of the ones before it (a ROM id or a scratchpad). */
export function hasValidCrc(bytes: ArrayLike<number>): boolean {
  if (bytes.length < 2) return false;
  const body = Array.prototype.slice.call(bytes, 0, bytes.length - 1) as number[];
  return crc8(body) === (bytes[bytes.length - 1] & 0xff);
}
