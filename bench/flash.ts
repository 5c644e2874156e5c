/**
 * Flashing a firmware-like image onto virtual boards at the usual flash baud rates: time from
 * trigger to verified, against the time the compressed bytes need on the wire (10 bits a byte),
 * which is the floor a real serial line imposes.
 */
import { performance } from 'perf_hooks';
import { flashImage } from '../src/esp8266/flasher';
import { createSerialLink } from '../src/serial/open-port';
import { getVirtualBoard, resetVirtualBoards } from '../src/sim/registry';
import { buildTestImage, patternBytes } from '../test/src/esp8266/build-test-image';

/** The shape bench/table.ts prints. */
interface FlashBenchTable {
  title: string;
  columns: string[];
  rows: Array<Array<string | number>>;
  note?: string;
}

const IMAGE_KB = Number(process.env.BENCH_FLASH_KB ?? 512);
const BAUD_RATES = [115200, 460800, 921600];

/** Code-like data: about half of it compresses away, as with real firmware. */
function firmwareLikeImage(kilobytes: number): Uint8Array {
  const data = patternBytes(kilobytes * 1024 - 64, 99).map((byte) => byte & 0x0f);
  return buildTestImage({ segments: [{ loadAddress: 0x40201010, data }] });
}

export async function flashBench(): Promise<FlashBenchTable[]> {
  const image = firmwareLikeImage(IMAGE_KB);
  const rows: Array<Array<string | number>> = [];
  for (const baud of BAUD_RATES) {
    const name = `bench-${baud}`;
    getVirtualBoard(name);
    const started = performance.now();
    const result = await flashImage({ path: `sim:${name}`, image, createLink: createSerialLink, reset: 'auto', flashBaudRate: baud });
    const seconds = (performance.now() - started) / 1000;
    const wireSeconds = (result.compressedBytes * 10) / baud;
    rows.push([baud, result.bytesWritten, result.compressedBytes, seconds.toFixed(2), wireSeconds.toFixed(2), (result.bytesWritten / 1024 / seconds).toFixed(1), result.verified ? 'yes' : 'no']);
    resetVirtualBoards();
  }
  return [{
    title: `Flash ${IMAGE_KB} KB onto a virtual ESP8266 (reset, stub, write, MD5 verify, reset)`,
    columns: ['baud', 'image bytes', 'compressed bytes', 'total s', 'wire time of data s', 'image KB/s', 'verified'],
    rows,
    note: 'The stub upload runs at 115200 baud before the switch (about 1.1 s); BENCH_FLASH_KB sets the image size.',
  }];
}
