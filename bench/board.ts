/**
 * The virtual board running firmware/bridge.bin on the emulated CPU, in step with wall time: process
 * CPU time over wall time for an idle board and for ten boards reading two sensors every second
 * (targets: < 5 % and < 50 % of one core), whether every byte at 115200 baud arrived (each line the
 * host received parses, the UARTs dropped nothing), and how long a read command takes from the
 * host's newline to the cycle line (a 12-bit conversion is 750 ms of it).
 */
import { readFileSync } from 'fs';
import * as os from 'os';
import * as path from 'path';
import { performance } from 'perf_hooks';
import { parseBridgeLine } from '../src/onewire/bridge-protocol';
import type { BoardConnection } from '../src/sim/board/board';
import { getVirtualBoard, resetVirtualBoards, type VirtualBoard } from '../src/sim/host/registry';
import { BenchTable } from './table';

const IMAGE = new Uint8Array(readFileSync(path.resolve(__dirname, '../../firmware/bridge.bin')));
const MEASURE_MS = 10_000;
const BOARDS = 10;

const sleep = (ms: number) => new Promise((resolve) => setTimeout(resolve, ms));

/** A host on a board's serial port at 115200 baud, keeping every line it receives. */
class Host {
  readonly lines: string[] = [];
  private text = '';
  private readonly connection: BoardConnection;

  constructor(readonly board: VirtualBoard) {
    this.connection = board.connect({
      baud: 115200,
      receive: (bytes) => {
        this.text += Buffer.from(bytes).toString('latin1');
        const parts = this.text.split('\n');
        this.text = parts.pop() ?? '';
        this.lines.push(...parts);
      },
      lost: () => undefined,
    });
  }

  send(text: string): Promise<void> {
    return this.connection.write(Buffer.from(text, 'latin1'));
  }

  async waitFor(pattern: RegExp, from: number, timeoutMs: number): Promise<void> {
    const end = performance.now() + timeoutMs;
    while (!this.lines.slice(from).some((l) => pattern.test(l))) {
      if (performance.now() > end) throw new Error(`no ${pattern} from ${this.board.name}`);
      await sleep(5);
    }
  }

  close(): void {
    this.connection.disconnect(false);
  }
}

/** Process CPU time over wall time while `ms` pass, in % of one core. */
async function cpuShare(ms: number): Promise<number> {
  const before = process.cpuUsage();
  const started = performance.now();
  await sleep(ms);
  const used = process.cpuUsage(before);
  return (100 * (used.user + used.system)) / 1000 / (performance.now() - started);
}

async function boardsReady(count: number): Promise<Host[]> {
  const hosts = Array.from({ length: count }, (_, i) => new Host(getVirtualBoard(`bench-board-${i}`, { firmware: IMAGE })));
  await Promise.all(hosts.map((h) => h.waitFor(/"type":"sensors"/, 0, 10_000)));
  return hosts;
}

function intact(hosts: Host[]): { lines: number; broken: number; dropped: number } {
  const all = hosts.flatMap((h) => h.lines.filter((l) => l.startsWith('{')));
  const broken = all.filter((l) => parseBridgeLine(l).kind !== 'event').length;
  const dropped = hosts.reduce((n, h) => n + (h.board.droppedUartBytes ?? 0), 0);
  return { lines: all.length, broken, dropped };
}

export async function boardBench(): Promise<BenchTable[]> {
  const rows: Array<Array<string | number>> = [];
  try {
    const [idle] = await boardsReady(1);
    rows.push(['1 board, idle', (await cpuShare(MEASURE_MS)).toFixed(1), '-', '-', '< 5']);
    const from = idle.lines.length;
    const sent = performance.now();
    await idle.send('read\n');
    await idle.waitFor(/"type":"cycle"/, from, 5000);
    rows.push(['1 board, one read (2 sensors)', '-', (performance.now() - sent).toFixed(0), '-', '750 + bus time']);
    resetVirtualBoards();

    const hosts = await boardsReady(BOARDS);
    const marks = hosts.map((h) => h.lines.length);
    const reading = setInterval(() => hosts.forEach((h) => void h.send('read\n')), 1000);
    const share = await cpuShare(MEASURE_MS);
    clearInterval(reading);
    await sleep(1500); // the last reads finish
    const readings = hosts.reduce((n, h, i) => n + h.lines.slice(marks[i]).filter((l) => l.includes('"type":"temp"')).length, 0);
    const check = intact(hosts);
    rows.push([
      `${BOARDS} boards, each sent "read" every second`,
      share.toFixed(1),
      '-',
      `${readings} readings, ${check.lines} lines, ${check.broken} broken, ${check.dropped} dropped`,
      '< 50',
    ]);
    for (const host of hosts) host.close();
  } finally {
    resetVirtualBoards();
  }
  return [
    {
      title: 'Virtual board running firmware/bridge.bin on the emulated CPU (real time)',
      columns: ['case', '% of one core', 'ms', 'bytes at 115200', 'target'],
      rows,
      note: `${os.cpus().length} cores, load average ${os
        .loadavg()
        .map((l) => l.toFixed(2))
        .join(' ')} when measured (the machine may be shared).`,
    },
  ];
}
