/**
 * Flashing 1 MiB images onto virtual boards at the usual flash baud rates, deflated
 * (as the flash node does) and plain. The virtual line takes 10 bit times per byte, as a
 * real UART does, so the serial line sets the floor: wire efficiency is the time the bytes
 * of the write phase occupy the wire, both directions, over the time that phase took.
 */
import { performance } from 'perf_hooks';
import { flashImage } from '../src/esp8266/flasher';
import '../src/virtual-ports';
import { createSerialLink } from '../src/serial/open-port';
import { getVirtualBoard, resetVirtualBoards } from '../src/sim/registry';
import { buildTestImage, patternBytes } from '../test/src/esp8266/build-test-image';
import { BenchTable } from './table';

const IMAGE_BYTES = Number(process.env.BENCH_FLASH_KB ?? 1024) * 1024;
const BAUD_RATES = [115200, 460800, 921600];

/**
 * An image of about `bytes` laid out as firmware is: code in IRAM, data in DRAM, and the
 * rest in the flash-mapped IROM window (1 MiB from 0x40200000), each filled by `fill`.
 */
function image(bytes: number, fill: (length: number, seed: number) => Uint8Array): Uint8Array {
  const headers = 8 + 3 * 8 + 16; // image header, three segment headers, padding and checksum
  const irom = Math.floor((bytes - headers - 48 * 1024) / 4) * 4;
  return buildTestImage({
    segments: [
      { loadAddress: 0x40100000, data: fill(32 * 1024, 1) },
      { loadAddress: 0x3ffe8000, data: fill(16 * 1024, 2) },
      { loadAddress: 0x40201010, data: fill(irom, 3) },
    ],
  });
}

const IMAGES: Array<{ name: string; bytes: Uint8Array }> = [
  // Random bytes do not deflate: the worst case for a compressed write.
  { name: 'random', bytes: image(IMAGE_BYTES, (length, seed) => patternBytes(length, seed)) },
  // Code-like bytes: about half of them deflate away, as with real firmware.
  { name: 'firmware-like', bytes: image(IMAGE_BYTES, (length, seed) => patternBytes(length, seed).map((byte) => byte & 0x0f)) },
];

interface Measured {
  totalSeconds: number;
  sentBytes: number;
  efficiency: number;
}

async function measure(bytes: Uint8Array, baud: number, compress: boolean): Promise<Measured> {
  const name = `bench-${baud}-${compress ? 'deflate' : 'plain'}`;
  const board = getVirtualBoard(name);
  let writeStart: { at: number; wire: number } | undefined;
  let writeEnd: { at: number; wire: number } | undefined;
  const wire = () => board.wireSeconds.toDevice + board.wireSeconds.toHost;
  const started = performance.now();
  const result = await flashImage({
    path: `sim:${name}`, image: bytes, createLink: createSerialLink, reset: 'auto', flashBaudRate: baud, compress,
    onProgress: (progress) => {
      if (progress.phase === 'writing' && !writeStart) writeStart = { at: performance.now(), wire: wire() };
      if (progress.phase === 'verifying' && !writeEnd) writeEnd = { at: performance.now(), wire: wire() };
    },
  });
  const totalSeconds = (performance.now() - started) / 1000;
  resetVirtualBoards();
  if (!result.verified || !writeStart || !writeEnd) throw new Error('the flash did not go through every phase');
  const efficiency = (writeEnd.wire - writeStart.wire) / ((writeEnd.at - writeStart.at) / 1000);
  return { totalSeconds, sentBytes: result.compressedBytes, efficiency };
}

export async function flashBench(): Promise<BenchTable[]> {
  const rows: Array<Array<string | number>> = [];
  for (const { name, bytes } of IMAGES) {
    for (const baud of BAUD_RATES) {
      for (const compress of [true, false]) {
        const run = await measure(bytes, baud, compress);
        rows.push([name, baud, compress ? 'deflated' : 'plain', run.sentBytes, run.totalSeconds.toFixed(1),
          Math.round(bytes.length / run.totalSeconds), run.efficiency.toFixed(2)]);
      }
    }
  }
  return [{
    title: `Flashing a ${IMAGE_BYTES / 1024} KiB image onto a virtual ESP8266 (reset, stub, write, MD5 verify, reset)`,
    columns: ['image', 'baud', 'sent as', 'bytes sent', 'total s', 'image bytes/s', 'wire efficiency'],
    rows,
    note: 'total s: from the trigger to the verified, restarted board, including the stub upload at 115200 baud. '
      + 'Wire efficiency: seconds the write phase\'s bytes occupy the line (10 bits each, both directions) over the '
      + 'seconds the phase took; 1.00 would be a line never idle. BENCH_FLASH_KB sets the image size.',
  }];
}
