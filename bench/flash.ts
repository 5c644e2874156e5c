/**
 * Flashing virtual ESP8266 boards at the usual flash baud rates: the bundled bridge, 1 MiB images
 * deflated (as the flash node sends them) and plain, and re-flashes that skip what the board already
 * holds. The virtual line takes 10 bit times per byte, as a real UART does, so it sets the floor: each
 * row gives the wire time of the bytes that crossed it (both directions) beside the measured time, and
 * a per-step breakdown shows where the rest went. The virtual flash chip erases and programs at once.
 */
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { performance } from 'perf_hooks';
import { FLASH_STEPS, FlashStep } from '../src/esp8266/flash-steps';
import { FlashResult, flashImage } from '../src/esp8266/flasher';
import { readFlash } from '../src/esp8266/flash-read';
import '../src/virtual-ports';
import { createSerialLink } from '../src/serial/open-port';
import { VirtualBoard, getVirtualBoard, resetVirtualBoards } from '../src/sim/host/registry';
import { buildTestImage, patternBytes } from '../test/support/image-builders';
import { ptyFlashBench } from './flash-pty';
import { BenchTable, median } from './table';

const IMAGE_BYTES = Number(process.env.BENCH_FLASH_KB ?? 1024) * 1024;
const BAUD_RATES = (process.env.BENCH_FLASH_BAUDS ?? '115200,460800,921600').split(',').map(Number);
/** Runs per bridge row (short runs, noisy): the median is reported. */
const BRIDGE_RUNS = Number(process.env.BENCH_FLASH_RUNS ?? 5);
/** Runs per large-image row at 460800 baud and above (a run at 115200 takes a minute and a half, so one). */
const LARGE_RUNS = Number(process.env.BENCH_FLASH_LARGE_RUNS ?? 3);
const largeRuns = (baud: number) => (baud >= 460800 ? LARGE_RUNS : 1);
const BRIDGE = readFileSync(join(__dirname, '..', '..', 'firmware', 'bridge.bin'));

/**
 * An image of about `bytes` laid out as firmware is: code in IRAM, data in DRAM, and the
 * rest in the flash-mapped IROM window (1 MiB from 0x40200000), each filled by `fill`.
 */
function image(bytes: number, fill: (length: number, seed: number) => Uint8Array): Uint8Array {
  const headers = 8 + 3 * 8 + 16; // image header, three segment headers, padding and checksum
  const irom = Math.floor((bytes - headers - 48 * 1024) / 4) * 4;
  return buildTestImage({
    segments: [
      { address: 0x40100000, data: fill(32 * 1024, 1) },
      { address: 0x3ffe8000, data: fill(16 * 1024, 2) },
      { address: 0x40201010, data: fill(irom, 3) },
    ],
  });
}

const IMAGES: Array<{ name: string; bytes: Uint8Array }> = [
  // Random bytes do not deflate: the worst case for a compressed write.
  { name: 'random', bytes: image(IMAGE_BYTES, (length, seed) => patternBytes(length, seed)) },
  // Code-like bytes: about half of them deflate away, as with real firmware.
  { name: 'firmware-like', bytes: image(IMAGE_BYTES, (length, seed) => patternBytes(length, seed).map((byte) => byte & 0x0f)) },
];

interface Span {
  wall: number;
  wire: number;
}

interface Measured {
  total: Span;
  /** From the end of reset and sync to the restarted board. */
  afterConnect: Span;
  steps: Map<FlashStep, Span>;
  result: FlashResult;
}

interface Run {
  image: Uint8Array;
  baud: number;
  compress?: boolean;
  skipUnchanged?: boolean;
  /** What the board's flash holds before the run. */
  before?: Uint8Array;
}

let boardCount = 0;

function wireOf(board: VirtualBoard): number {
  return board.wireSeconds.toDevice + board.wireSeconds.toHost;
}

async function measure(run: Run): Promise<Measured> {
  const name = `bench-${++boardCount}`;
  const board = getVirtualBoard(name, { firmware: run.before });
  const marks: Array<{ step: FlashStep | 'end'; at: number; wire: number }> = [];
  const mark = (step: FlashStep | 'end') => marks.push({ step, at: performance.now(), wire: wireOf(board) });
  const start = { at: performance.now(), wire: wireOf(board) };
  try {
    const result = await flashImage({
      path: `sim:${name}`,
      image: run.image,
      createLink: createSerialLink,
      reset: 'auto',
      flashBaudRate: run.baud,
      compress: run.compress ?? true,
      skipUnchanged: run.skipUnchanged ?? true,
      onStep: mark,
    });
    mark('end');
    if (!result.verified || !result.restarted) throw new Error('the flash did not verify and restart the board');
    const steps = new Map<FlashStep, Span>();
    for (let i = 0; i + 1 < marks.length; i++) {
      const { step } = marks[i];
      if (step !== 'end') steps.set(step, { wall: (marks[i + 1].at - marks[i].at) / 1000, wire: marks[i + 1].wire - marks[i].wire });
    }
    const end = marks[marks.length - 1];
    const connected = marks[1];
    return {
      total: { wall: (end.at - start.at) / 1000, wire: end.wire - start.wire },
      afterConnect: { wall: (end.at - connected.at) / 1000, wire: end.wire - connected.wire },
      steps,
      result,
    };
  } finally {
    resetVirtualBoards();
  }
}

/** The run whose total wall time is the median of `count` runs. */
async function medianRun(run: Run, count: number): Promise<Measured> {
  const runs: Measured[] = [];
  for (let i = 0; i < count; i++) runs.push(await measure(run));
  const wanted = median(runs.map((r) => r.total.wall));
  return runs.reduce((best, r) => (Math.abs(r.total.wall - wanted) < Math.abs(best.total.wall - wanted) ? r : best));
}

const seconds = (value: number, digits = 2) => value.toFixed(digits);
const efficiency = (span: Span | undefined) => (span && span.wall > 0 ? (span.wire / span.wall).toFixed(3) : '-');

function breakdownRows(label: string, measured: Measured): Array<Array<string | number>> {
  return FLASH_STEPS.map((step) => {
    const span = measured.steps.get(step) ?? { wall: 0, wire: 0 };
    return [label, step, seconds(span.wall, 3), seconds(span.wire, 3), seconds(Math.max(0, span.wall - span.wire), 3)];
  });
}

/** A copy of `bytes` with one byte changed in each of the given sectors. */
function withChangedSectors(bytes: Uint8Array, sectors: number[]): Uint8Array {
  const copy = Uint8Array.from(bytes);
  for (const sector of sectors) copy[sector * 4096 + 100] ^= 0x5a;
  return copy;
}

/** Reads of READ_BYTES from a board holding random bytes there: the read mode and the backup's path. */
const READ_BYTES = 1024 * 1024;
const READ_BAUDS = [460800, 921600];

export async function readBench(): Promise<BenchTable> {
  const rows: Array<Array<string | number>> = [];
  const content = patternBytes(READ_BYTES, 71);
  for (const baud of READ_BAUDS) {
    const walls: number[] = [];
    let wire = 0;
    let steps = 0;
    for (let run = 0; run < LARGE_RUNS; run++) {
      const name = `bench-read-${++boardCount}`;
      const board = getVirtualBoard(name);
      board.flash.program(0, content);
      let readStart: { at: number; wire: number } | undefined;
      const started = performance.now();
      try {
        const result = await readFlash({
          path: `sim:${name}`,
          createLink: createSerialLink,
          reset: 'auto',
          flashBaudRate: baud,
          size: READ_BYTES,
          onStep: (step) => {
            if (step === 'read') readStart = { at: performance.now(), wire: wireOf(board) };
          },
        });
        if (!Buffer.from(result.bytes).equals(Buffer.from(content))) throw new Error('the read returned other bytes than the board holds');
        walls.push((performance.now() - started) / 1000);
        wire = wireOf(board);
        if (readStart) steps = wireOf(board) - readStart.wire;
      } finally {
        resetVirtualBoards();
      }
    }
    const total = median(walls);
    rows.push([baud, READ_BYTES / 1024, seconds(total), seconds(wire), seconds(steps), Math.round(READ_BYTES / total)]);
  }
  return {
    title: `Reading ${READ_BYTES / 1024} KiB of flash from a virtual ESP8266 (reset, stub, READ_FLASH checked against the stub's MD5, reset)`,
    columns: ['baud', 'KiB', 'total s', 'wire s', 'read wire s', 'bytes/s'],
    rows,
    note:
      `Median of ${LARGE_RUNS} runs. total s: trigger to the checked bytes and the restarted board. wire s: the time the bytes ` +
      'that crossed the line occupy it (10 bits each, both directions); read wire s: those of the read itself.',
  };
}

export async function flashBench(): Promise<BenchTable[]> {
  const behindPty = await ptyFlashBench();
  if (process.env.BENCH_FLASH_PTY_ONLY) return behindPty;
  const breakdown: Array<Array<string | number>> = [];
  const bridgeRows: Array<Array<string | number>> = [];
  for (const baud of BAUD_RATES) {
    const fresh = await medianRun({ image: BRIDGE, baud }, BRIDGE_RUNS);
    const again = await medianRun({ image: BRIDGE, baud, before: BRIDGE }, BRIDGE_RUNS);
    if (again.result.sectorsWritten !== 0) throw new Error('the re-flash of an identical bridge wrote sectors');
    bridgeRows.push([
      baud,
      'blank board',
      fresh.result.sectorsWritten,
      seconds(fresh.total.wall),
      seconds(fresh.total.wire),
      seconds(fresh.afterConnect.wall),
      efficiency(fresh.steps.get('write')),
    ]);
    bridgeRows.push([
      baud,
      'already on the board',
      again.result.sectorsWritten,
      seconds(again.total.wall),
      seconds(again.total.wire),
      seconds(again.afterConnect.wall),
      '-',
    ]);
    if (baud === 460800) breakdown.push(...breakdownRows(`bridge, ${baud}`, fresh));
  }

  const rows: Array<Array<string | number>> = [];
  const fullWrites = new Map<string, Measured>();
  for (const { name, bytes } of IMAGES) {
    for (const baud of BAUD_RATES) {
      for (const compress of [true, false]) {
        const run = await medianRun({ image: bytes, baud, compress }, largeRuns(baud));
        if (compress) fullWrites.set(`${name}@${baud}`, run);
        rows.push([
          name,
          baud,
          compress ? 'deflated' : 'plain',
          run.result.compressedBytes,
          seconds(run.total.wall, 1),
          seconds(run.total.wire, 1),
          Math.round(bytes.length / run.total.wall),
          efficiency(run.steps.get('write')),
        ]);
        if (name === 'random' && compress && baud !== 115200)
          breakdown.push(...breakdownRows(`${IMAGE_BYTES / 1024} KiB random, ${baud}`, run));
      }
    }
  }

  const skipRows: Array<Array<string | number>> = [];
  const random = IMAGES[0].bytes;
  for (const baud of BAUD_RATES.filter((b) => b !== 115200)) {
    const full = fullWrites.get(`random@${baud}`);
    const oneChanged = await medianRun({ image: random, baud, before: withChangedSectors(random, [37]) }, LARGE_RUNS);
    skipRows.push([
      baud,
      oneChanged.result.sectorsWritten,
      oneChanged.result.sectorsSkipped,
      seconds(oneChanged.total.wall),
      seconds(oneChanged.total.wire),
      full ? seconds(full.total.wall, 1) : '-',
      full ? `${Math.round((100 * oneChanged.total.wall) / full.total.wall)} %` : '-',
    ]);
  }

  const reads = await readBench();
  return [
    ...behindPty,
    {
      title: 'Flashing the bundled bridge (7,120 bytes) onto a virtual ESP8266: reset, stub, compare, write, MD5 verify, reset',
      columns: ['baud', 'board holds', 'sectors written', 'total s', 'wire s', 'after connect s', 'write wire efficiency'],
      rows: bridgeRows,
      note:
        `Median of ${BRIDGE_RUNS} runs. total s: trigger to verified, restarted board. wire s: the time the bytes that crossed ` +
        'the line occupy it, 10 bits each, both directions. after connect s: from the end of reset and sync. The write of a ' +
        '5 KiB deflated image is one block: the round trips that open and close it weigh on its efficiency.',
    },
    {
      title: `Flashing a ${IMAGE_BYTES / 1024} KiB image onto a blank virtual ESP8266 (reset, stub, compare, write, MD5 verify, reset)`,
      columns: ['image', 'baud', 'sent as', 'bytes sent', 'total s', 'wire s', 'image bytes/s', 'write wire efficiency'],
      rows,
      note:
        `Median of ${LARGE_RUNS} runs at 460800 baud and above, one run at 115200. ` +
        'total s: from the trigger to the verified, restarted board. wire s: the time the bytes that crossed the line occupy it ' +
        '(10 bits each, both directions). Write wire efficiency: wire seconds of the write step over its seconds; 1.000 would be ' +
        'a line never idle. BENCH_FLASH_KB sets the image size, BENCH_FLASH_BAUDS the rates.',
    },
    {
      title: `Re-flashing a ${IMAGE_BYTES / 1024} KiB random image onto a board that differs in one 4 KiB sector`,
      columns: ['baud', 'sectors written', 'sectors skipped', 'total s', 'wire s', 'full write s', 'of a full write'],
      rows: skipRows,
      note: `Median of ${LARGE_RUNS} runs. full write s: the deflated write of the same image onto a blank board, above.`,
    },
    {
      title: 'Where the time goes, step by step',
      columns: ['flash', 'step', 'wall s', 'wire s', 'idle s'],
      rows: breakdown,
      note:
        "wire s: the time the step's bytes occupy the line (both directions); idle s: wall minus wire, the time the line " +
        'stood idle. reset-sync includes the fixed reset pulses (100 ms EN low, 50 ms GPIO0 held) and reading the chip and MAC; ' +
        'restart is the 100 ms EN pulse.',
    },
    reads,
  ];
}
