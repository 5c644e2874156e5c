/**
 * Flashing the bundled bridge onto a virtual ESP8266 behind a socat pseudo-terminal, the way any serial
 * tool meets a board: ours beside Espressif's Python esptool, an identical re-flash, and what falling
 * back from an unanswered sync at the flash rate costs. Each run gets a fresh board on its own pty,
 * waiting in its ROM loader (a pty has no DTR/RTS). Python esptool is not a dependency: set ESPTOOL_PY
 * to one or more esptool.py paths (comma-separated), and ESPTOOL_PYTHON to the interpreter that has
 * its packages (default python3).
 */
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { performance } from 'perf_hooks';
import { flashImage } from '../src/esp8266/flasher';
import { createSerialLink } from '../src/serial/open-port';
import { getVirtualBoard, resetVirtualBoards, type VirtualBoardOptions } from '../src/sim/host/registry';
import { ESPTOOLS, ESPTOOL_HINT, esptool } from './esptool-cli';
import { withPtyBoard } from './pty-board';
import { esptoolChecks } from './flash-pty-checks';
import { ptyBreakdown } from './flash-pty-breakdown';
import { ptyReadBench } from './flash-pty-read';
import { BenchTable, median } from './table';

const BRIDGE = readFileSync(join(__dirname, '..', '..', 'firmware', 'bridge.bin'));
const RUNS = Number(process.env.BENCH_FLASH_RUNS ?? 5);
const BAUD = 460800;

let boardCount = 0;

/** Seconds `work` takes against a fresh board behind its own pty, after `before` ran on it untimed. */
function onFreshPty(
  options: VirtualBoardOptions,
  work: (tty: string) => Promise<void>,
  before?: (tty: string) => Promise<void>,
): Promise<number> {
  return withPtyBoard(options, async (tty) => {
    await before?.(tty);
    const started = performance.now();
    await work(tty);
    return (performance.now() - started) / 1000;
  });
}

/** Seconds our flash takes on a fresh `sim:` board whose ROM hears only 115200, with DTR/RTS resets. */
async function onSimPort(romBaudRate?: number): Promise<number> {
  const name = `bench-sim-${++boardCount}`;
  getVirtualBoard(name, { romBaudOnly: 115200 });
  try {
    const started = performance.now();
    const result = await flashImage({
      path: `sim:${name}`,
      image: BRIDGE,
      createLink: createSerialLink,
      reset: 'auto',
      flashBaudRate: BAUD,
      romBaudRate,
    });
    if (!result.verified) throw new Error('our flash did not verify');
    return (performance.now() - started) / 1000;
  } finally {
    resetVirtualBoards();
  }
}

async function ours(tty: string, romBaudRate?: number): Promise<void> {
  const result = await flashImage({
    path: tty,
    image: BRIDGE,
    createLink: createSerialLink,
    reset: 'none',
    flashBaudRate: BAUD,
    romBaudRate,
  });
  if (!result.verified) throw new Error('our flash did not verify');
}

async function medianOf(count: number, measure: () => Promise<number>): Promise<number> {
  const times: number[] = [];
  for (let i = 0; i < count; i++) times.push(await measure());
  return median(times);
}

const seconds = (value: number) => value.toFixed(2);

export async function ptyFlashBench(): Promise<BenchTable[]> {
  const first = await medianOf(RUNS, () => onFreshPty({}, (tty) => ours(tty)));
  // The second session on the same pty: the board is as the first left it (a pty cannot reset it), its
  // flasher stub still running at the flash rate, so the stub upload is skipped along with the write.
  const again = await medianOf(RUNS, () =>
    onFreshPty(
      {},
      (tty) => ours(tty),
      (tty) => ours(tty),
    ),
  );
  const romHolds = await medianOf(RUNS, () => onFreshPty({ firmware: BRIDGE }, (tty) => ours(tty)));
  const rows: Array<Array<string | number>> = [
    ['this package (esptool-js, in process)', 'blank board', seconds(first), '-'],
    ['this package (esptool-js, in process)', 'the bridge, flashed by the session before', seconds(again), (again / first).toFixed(2)],
    [
      'this package (esptool-js, in process)',
      'the bridge, board just reset into its ROM',
      seconds(romHolds),
      (romHolds / first).toFixed(2),
    ],
  ];
  const notes: string[] = [];
  if (ESPTOOLS.length === 0) notes.push(`Python esptool rows skipped: ${ESPTOOL_HINT}.`);
  const bridgeFile = join(__dirname, '..', '..', 'firmware', 'bridge.bin');
  for (const script of ESPTOOLS) {
    const tool = await esptool(script);
    const time = await medianOf(RUNS, () =>
      onFreshPty({}, async (tty) => {
        await tool.check(tty, BAUD, 'write_flash', '0x0', bridgeFile);
      }),
    );
    rows.push([`Python esptool ${tool.version} (process)`, 'blank board', seconds(time), (first / time).toFixed(2)]);
  }

  const direct = await medianOf(RUNS, () => onFreshPty({ romBaudOnly: 115200 }, (tty) => ours(tty, 115200)));
  const fallback = await medianOf(RUNS, () => onFreshPty({ romBaudOnly: 115200 }, (tty) => ours(tty)));
  const simDirect = await medianOf(RUNS, () => onSimPort(115200));
  const simFallback = await medianOf(RUNS, () => onSimPort());
  return [
    ...(await ptyBreakdown(BRIDGE, BAUD)),
    {
      title: `Flashing the bundled bridge at ${BAUD} baud onto a virtual ESP8266 behind a pty (virtual-esp8266 --pty)`,
      columns: ['flasher', 'board holds', 'seconds', 'ratio'],
      rows,
      note:
        `Median of ${RUNS} runs, each on a fresh board behind its own pty, reset "none". Ours: the flashImage call ` +
        "(connect, stub, compare, write, MD5 verify); esptool: the whole process, Python's start included. ratio: for the " +
        "re-flash, its time over the first flash's; for esptool, our blank-board time over esptool's (below 1, ours is faster). " +
        notes.join(' '),
    },
    {
      title: `Falling back when the ROM does not answer at ${BAUD} (a board behind an adapter that carries only 115200)`,
      columns: ['sync', 'seconds', 'extra s'],
      rows: [
        ['pty, reset "none": at 115200 from the start', seconds(direct), '-'],
        [`pty, reset "none": at ${BAUD}, then 115200`, seconds(fallback), seconds(fallback - direct)],
        ['sim: port, reset "auto": at 115200 from the start', seconds(simDirect), '-'],
        [`sim: port, reset "auto": at ${BAUD}, then 115200`, seconds(simFallback), seconds(simFallback - simDirect)],
      ],
      note:
        `Median of ${RUNS} runs of the bridge at ${BAUD} on a board whose ROM hears only 115200 (--rom-baud-only 115200). ` +
        'With reset "auto" the fallback resets the board again, so the ROM starts afresh whatever it made of the fast SYNC.',
    },
    await ptyReadBench(),
    await esptoolChecks(BRIDGE),
  ];
}
