/**
 * Where the time of a flash behind a pty goes, step by step: the first flash onto a blank board, and an
 * identical re-flash after a reset (the board back in its ROM, so the stub must be uploaded again).
 * The wire column is the time the step's bytes occupy the line at the rate they crossed it: no flasher
 * can take less, whatever it does between them.
 */
import { performance } from 'perf_hooks';
import { FLASH_STEPS, FlashStep } from '../src/esp8266/flash-steps';
import { flashImage } from '../src/esp8266/flasher';
import { createSerialLink } from '../src/serial/open-port';
import type { VirtualBoard } from '../src/sim/board/board';
import { withPtyBoard } from './pty-board';
import { BenchTable, median } from './table';

const RUNS = Number(process.env.BENCH_FLASH_RUNS ?? 5);

interface Span {
  wall: number;
  wire: number;
}

type Steps = Map<FlashStep | 'total', Span>;

const wireOf = (board: VirtualBoard) => board.wireSeconds.toDevice + board.wireSeconds.toHost;

async function timedFlash(image: Uint8Array, baud: number, before?: Uint8Array): Promise<Steps> {
  return withPtyBoard(before ? { firmware: before } : {}, async (tty, board) => {
    const marks: Array<{ step: FlashStep | 'end'; at: number; wire: number }> = [];
    const mark = (step: FlashStep | 'end') => marks.push({ step, at: performance.now(), wire: wireOf(board) });
    const start = { at: performance.now(), wire: wireOf(board) };
    await flashImage({ path: tty, image, createLink: createSerialLink, reset: 'none', flashBaudRate: baud, onStep: mark });
    mark('end');
    const steps: Steps = new Map();
    for (let i = 0; i + 1 < marks.length; i++) {
      const { step } = marks[i];
      if (step !== 'end') steps.set(step, { wall: (marks[i + 1].at - marks[i].at) / 1000, wire: marks[i + 1].wire - marks[i].wire });
    }
    const end = marks[marks.length - 1];
    steps.set('total', { wall: (end.at - start.at) / 1000, wire: end.wire - start.wire });
    return steps;
  });
}

/** Each step's median wall and wire time over `count` runs. */
async function medianSteps(count: number, run: () => Promise<Steps>): Promise<Steps> {
  const runs: Steps[] = [];
  for (let i = 0; i < count; i++) runs.push(await run());
  const result: Steps = new Map();
  for (const step of [...FLASH_STEPS, 'total'] as const) {
    const spans = runs.map((steps) => steps.get(step) ?? { wall: 0, wire: 0 });
    result.set(step, { wall: median(spans.map((span) => span.wall)), wire: median(spans.map((span) => span.wire)) });
  }
  return result;
}

export async function ptyBreakdown(image: Uint8Array, baud: number): Promise<BenchTable[]> {
  const first = await medianSteps(RUNS, () => timedFlash(image, baud));
  const again = await medianSteps(RUNS, () => timedFlash(image, baud, image));
  const cell = (span: Span | undefined) => (span ? [span.wall.toFixed(3), span.wire.toFixed(3)] : ['-', '-']);
  const rows = [...FLASH_STEPS.filter((step) => step !== 'restart'), 'total' as const].map((step) => [
    step,
    ...cell(first.get(step)),
    ...cell(again.get(step)),
  ]);
  const firstTotal = first.get('total') as Span;
  const againTotal = again.get('total') as Span;
  rows.push(['re-flash / first', '', '', (againTotal.wall / firstTotal.wall).toFixed(2), (againTotal.wire / firstTotal.wire).toFixed(2)]);
  return [
    {
      title: `Where the time goes behind a pty at ${baud} baud: the bridge onto a blank board, and again after a reset`,
      columns: ['step', 'first wall s', 'first wire s', 're-flash wall s', 're-flash wire s'],
      rows,
      note:
        `Median of ${RUNS} runs per step, each on a fresh board behind its own pty, reset "none" (the board waits in its ROM). ` +
        "wire s: the time the step's bytes occupy the line, both directions, 10 bits each at the rate they crossed it. The stub " +
        'upload is the same 12.4 KiB (esp-flasher-stub as esptool-js 0.7 bundles it, 11,456 bytes of code and 920 of data, ' +
        'which deflate only to 8.9 KiB) at the flash rate in both; the re-flash skips the write, and so ' +
        'the ratio of the wire times is the floor for any flasher that must upload the stub again. The virtual flash erases and ' +
        'programs at once; on silicon the first flash also waits for its sector erases (tens of ms each).',
    },
  ];
}
