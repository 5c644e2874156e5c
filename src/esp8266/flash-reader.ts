// Reads the flash through the stub's READ_FLASH (0xD2): after its reply the stub streams the bytes in
// packets of up to 4 KiB, the host acknowledges each with the total received so far (a 4-byte SLIP
// packet), and the stub ends with the MD5 of what it read (16 bytes). esptool-js's readFlash never reads
// that digest and grows its buffer by copying at every packet; this reader fills one buffer and checks
// the digest. (Protocol: esptool's read_flash and esp-flasher-stub's command handler.)
// esp-flasher-stub, the stub esptool-js uploads, sends its next packet once it has received as many
// acknowledgement frames as it sent packets (s_read_flash_post_process: max_unacked_packets = 1,
// acked_packets counted per frame). With one acknowledgement each, the line stands idle for a round
// trip after every 4 KiB packet. One more acknowledgement, sent as the read starts and carrying the
// true count (0), keeps a second packet in flight: the stub's next packet follows the current one
// while the host takes it in. Two frames in flight is what the stub's two receive buffers hold
// (frame_buffer.c) and what it itself allowed before esptool's slow reader made it go down to one.
import { createHash } from 'node:crypto';
import type { EspLoader } from './esptool-adapter';
import { FlashError } from './flash-errors';

const PACKET_BYTES = 0x1000;
/**
 * The max_inflight word, as esptool sends it: esp-flasher-stub ignores it; the legacy stub compares it
 * with unacknowledged bytes, so it keeps one 4 KiB packet in flight.
 */
const IN_FLIGHT = 64;
const MD5_BYTES = 16;

function words(...values: number[]): Uint8Array {
  const bytes = new Uint8Array(values.length * 4);
  const view = new DataView(bytes.buffer);
  values.forEach((value, index) => view.setUint32(index * 4, value, true));
  return bytes;
}

/** Called after each packet with the bytes received so far and the total. */
export type ReadProgress = (receivedBytes: number, totalBytes: number) => void;

export function readMismatchError(expected: string, actual: string): FlashError {
  return new FlashError(
    'md5-mismatch',
    `the bytes read differ from what the board read (MD5 ${actual}, board ${expected}): read again, or try a lower flash baud rate`,
  );
}

export interface RegionRead {
  bytes: Uint8Array;
  /** Their MD5 as hex, which the stub's digest confirmed. */
  md5: string;
}

/** `size` bytes of flash from `address`, checked against the stub's MD5 of them. */
export async function readRegion(loader: EspLoader, address: number, size: number, onProgress?: ReadProgress): Promise<RegionRead> {
  const bytes = new Uint8Array(size);
  if (size === 0) return { bytes, md5: createHash('md5').digest('hex') };
  await loader.checkCommand('read flash', loader.ESP_READ_FLASH, words(address, size, PACKET_BYTES, IN_FLIGHT));
  let received = 0;
  // The extra acknowledgement that lets the stub send its second packet without waiting.
  if (size > PACKET_BYTES) await loader.transport.write(words(0));
  while (received < size) {
    const packet = await loader.transport.read(loader.FLASH_READ_TIMEOUT);
    if (packet.length === 0) continue;
    if (received + packet.length > size)
      throw new FlashError('flash-failed', `the board sent ${received + packet.length} bytes for a read of ${size}`);
    bytes.set(packet, received);
    received += packet.length;
    await loader.transport.write(words(received));
    onProgress?.(received, size);
  }
  const digest = await loader.transport.read(loader.FLASH_READ_TIMEOUT);
  if (digest.length !== MD5_BYTES)
    throw new FlashError('flash-failed', `the board ended the read with ${digest.length} bytes instead of its ${MD5_BYTES}-byte MD5`);
  const expected = Buffer.from(digest).toString('hex');
  const actual = createHash('md5').update(bytes).digest('hex');
  if (actual !== expected) throw readMismatchError(expected, actual);
  return { bytes, md5: actual };
}
