// Hexadecimal text for messages, logs and names, spelt one way everywhere: lowercase digits,
// numbers with `0x`, bytes as two digits without it.

/** `0x` and the digits of `value`, zero-padded to `digits`: hex(0x1000, 6) is '0x001000', hex(0x1f) is '0x1f'. */
export function hex(value: number, digits = 0): string {
  return '0x' + value.toString(16).padStart(digits, '0');
}

/** A 32-bit word as eight digits, read unsigned: hex32(0x40100000) and hex32(-1 << 30) are '0x40100000' and '0xc0000000'. */
export function hex32(value: number): string {
  return hex(value >>> 0, 8);
}

/** Bytes as two digits each, joined by `separator`: hexBytes([0x5c, 0xcf, 0x7f], ':') is '5c:cf:7f'. */
export function hexBytes(bytes: ArrayLike<number>, separator = ''): string {
  let text = '';
  for (let i = 0; i < bytes.length; i++) text += (i > 0 ? separator : '') + bytes[i].toString(16).padStart(2, '0');
  return text;
}
