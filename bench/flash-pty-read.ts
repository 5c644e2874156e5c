/**
 * Reading 1 MiB of flash behind a pty at 921600 baud: ours (the read mode) beside Espressif's esptool
 * `read_flash` / `read-flash`, each from a fresh board waiting in its ROM, checked against what the
 * board holds. Both esp-flasher-stub (esptool-js, esptool v5) and the legacy stub (esptool v3) keep one
 * 4 KiB packet in flight per acknowledgement; ours acknowledges once more as the read starts.
 */
import { mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { performance } from 'perf_hooks';
import { readFlash } from '../src/esp8266/flash-read';
import { createSerialLink } from '../src/serial/open-port';
import { patternBytes } from '../test/support/image-builders';
import { ESPTOOLS, ESPTOOL_HINT, esptool } from './esptool-cli';
import { withPtyBoard } from './pty-board';
import { BenchTable, median } from './table';

const READ_BYTES = 1024 * 1024;
const BAUD = 921600;
const RUNS = Number(process.env.BENCH_FLASH_READ_RUNS ?? 3);
const CONTENT = patternBytes(READ_BYTES, 71);

/** Seconds `read` takes against a fresh board holding CONTENT; it returns the bytes it read. */
function timedRead(read: (tty: string) => Promise<Uint8Array>): Promise<number> {
  return withPtyBoard({}, async (tty, board) => {
    board.flash.program(0, CONTENT);
    const started = performance.now();
    const bytes = await read(tty);
    const seconds = (performance.now() - started) / 1000;
    if (!Buffer.from(bytes).equals(Buffer.from(CONTENT))) throw new Error('the read returned other bytes than the board holds');
    return seconds;
  });
}

async function medianOf(measure: () => Promise<number>): Promise<number> {
  const times: number[] = [];
  for (let i = 0; i < RUNS; i++) times.push(await measure());
  return median(times);
}

export async function ptyReadBench(): Promise<BenchTable> {
  const wire = (READ_BYTES * 10) / BAUD;
  const ours = await medianOf(() =>
    timedRead(async (tty) => {
      const result = await readFlash({ path: tty, createLink: createSerialLink, reset: 'none', flashBaudRate: BAUD, size: READ_BYTES });
      return result.bytes;
    }),
  );
  const rows: Array<Array<string | number>> = [['this package (read mode, in process)', ours.toFixed(1), (wire / ours).toFixed(2), '-']];
  const directory = mkdtempSync(join(tmpdir(), 'bench-read-'));
  try {
    for (const script of ESPTOOLS) {
      const tool = await esptool(script);
      const file = join(directory, `read-${tool.version}.bin`);
      const time = await medianOf(() =>
        timedRead(async (tty) => {
          await tool.check(tty, BAUD, 'read_flash', '0', String(READ_BYTES), file);
          return readFileSync(file);
        }),
      );
      rows.push([`Python esptool ${tool.version} (process)`, time.toFixed(1), (wire / time).toFixed(2), (ours / time).toFixed(2)]);
    }
  } finally {
    rmSync(directory, { recursive: true, force: true });
  }
  return {
    title: `Reading ${READ_BYTES / 1024} KiB of flash at ${BAUD} baud from a virtual ESP8266 behind a pty`,
    columns: ['reader', 'seconds', 'of the line', 'ratio'],
    rows,
    note:
      `Median of ${RUNS} runs, each on a fresh board waiting in its ROM (reset "none"), the bytes checked against the board's. ` +
      `Ours: the readFlash call (connect, stub, READ_FLASH checked against the stub's MD5); esptool: the whole process. of the line: ` +
      `the ${wire.toFixed(1)} s the bytes alone occupy the line over the time taken. ratio: our time over esptool's (below 1, ours is faster). ` +
      (ESPTOOLS.length === 0 ? `Python esptool rows skipped: ${ESPTOOL_HINT}.` : ''),
  };
}
