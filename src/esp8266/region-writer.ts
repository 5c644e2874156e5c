// Writes ranges of an image with esptool-js's own flash commands (FLASH_DEFL_BEGIN / _DATA / _END, or
// their uncompressed forms), one begin-data-end sequence per range. It replaces ESPLoader.writeFlash
// for two reasons: writeFlash deflates with pako at level 9 before the first block leaves (0.16 s for
// 1 MiB of random bytes, while the line stands idle) and, to count uncompressed bytes for its log, runs
// pako's Inflate with a 1-byte output chunk over every block (about 12 ms per 16 KiB block, again with
// the line idle). Here Node's zlib deflates on its thread pool, and nothing runs between one block's
// acknowledgement and the next block but building the packet.
import { promisify } from 'node:util';
import { deflate } from 'node:zlib';
import type { EspLoader } from './esptool-adapter';

const deflateAsync = promisify(deflate);

export interface FlashRange {
  /** Flash address of the first byte. */
  address: number;
  bytes: Uint8Array;
}

/** Called after each block with the payload bytes sent so far and the payload total of all ranges. */
export type WriteProgress = (sentBytes: number, totalBytes: number) => void;

interface Payload extends FlashRange {
  sent: Uint8Array;
}

/** esptool-js's minimum per-command timeout, also its per-block floor. */
const MIN_TIMEOUT_MS = 3000;

async function payloads(ranges: FlashRange[], compress: boolean): Promise<Payload[]> {
  // zlib level 9, as esptool and esptool-js use; the stub inflates a raw zlib stream.
  return Promise.all(
    ranges.map(async (range) => ({
      ...range,
      sent: compress ? new Uint8Array(await deflateAsync(range.bytes, { level: 9 })) : range.bytes,
    })),
  );
}

function blockTimeout(loader: EspLoader, uncompressedBytes: number): number {
  return Math.max(MIN_TIMEOUT_MS, loader.timeoutPerMb(loader.ERASE_WRITE_TIMEOUT_PER_MB, uncompressedBytes));
}

async function writeRange(loader: EspLoader, payload: Payload, compress: boolean, onBlock: (bytes: number) => void): Promise<void> {
  const blockSize = loader.FLASH_WRITE_SIZE;
  const { address, bytes, sent } = payload;
  const blocks = compress
    ? await loader.flashDeflBegin(bytes.length, sent.length, address)
    : await loader.flashBegin(bytes.length, address);
  // The uncompressed bytes one block stands for, on average: what the stub erases and programs for it.
  const timeout = blockTimeout(loader, Math.ceil(bytes.length / Math.max(1, blocks)));
  for (let seq = 0; seq < blocks; seq++) {
    const block = sent.subarray(seq * blockSize, (seq + 1) * blockSize);
    if (compress) {
      await loader.flashDeflBlock(block, seq, timeout);
    } else {
      // A short last block is padded with erased-flash bytes to a whole block, as esptool does.
      const whole = block.length === blockSize ? block : padded(block, blockSize);
      await loader.flashBlock(whole, seq, timeout);
    }
    onBlock(block.length);
  }
  if (compress) await loader.flashDeflFinish(false, timeout);
  else await loader.flashFinish(false, timeout);
}

function padded(block: Uint8Array, size: number): Uint8Array {
  const whole = new Uint8Array(size).fill(0xff);
  whole.set(block);
  return whole;
}

/** Writes every range; returns the payload bytes sent (deflated or not). */
export async function writeRanges(loader: EspLoader, ranges: FlashRange[], compress: boolean, onProgress?: WriteProgress): Promise<number> {
  const prepared = await payloads(ranges, compress);
  const total = prepared.reduce((sum, payload) => sum + payload.sent.length, 0);
  let sent = 0;
  onProgress?.(0, total);
  for (const payload of prepared) {
    await writeRange(loader, payload, compress, (bytes) => {
      sent += bytes;
      onProgress?.(sent, total);
    });
  }
  return total;
}
