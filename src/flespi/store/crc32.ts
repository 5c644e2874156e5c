/**
 * IEEE CRC-32, as zlib computes it. Node has `zlib.crc32` from 20.15 and 22.2; on the
 * older Node 20 releases the package still supports, a table-driven version stands in.
 */
import * as zlib from 'zlib';

type Crc32 = (data: Uint8Array, value?: number) => number;

function tableCrc32(): Crc32 {
  const table = new Uint32Array(256);
  for (let n = 0; n < 256; n += 1) {
    let c = n;
    for (let k = 0; k < 8; k += 1) c = c & 1 ? 0xedb88320 ^ (c >>> 1) : c >>> 1;
    table[n] = c >>> 0;
  }
  return (data, value = 0) => {
    let crc = ~value >>> 0;
    for (let i = 0; i < data.length; i += 1) crc = table[(crc ^ data[i]) & 0xff] ^ (crc >>> 8);
    return ~crc >>> 0;
  };
}

const native = (zlib as { crc32?: Crc32 }).crc32;

export const crc32: Crc32 = typeof native === 'function' ? native : tableCrc32();

/** Exposed so the stand-in is tested on Nodes that have the native one. */
export const portableCrc32: Crc32 = tableCrc32();
