/**
 * The Boards sidebar's cost: Node-RED (in its own process) with ten virtual boards, each read every
 * second by a read node; the process's CPU time with nobody watching the tab and with a page watching
 * it (a comms client that says so, as the editor does), and the bytes the sidebar's updates add to the
 * comms traffic. Targets: the CPU rises by < 5 % of one core, and the updates stay < 20 kB/s.
 */
import { readFileSync } from 'fs';
import * as os from 'os';
import * as path from 'path';
import WebSocket from 'ws';
import { startNodeRed } from '../test/e2e/support/node-red-process';
import { BENCH_BOARDS } from './sidebar-boards';
import { BenchTable } from './table';

const WINDOW_MS = 15_000;
const ROUNDS = 2;
/** Linux's USER_HZ: /proc/<pid>/stat counts CPU time in these ticks. */
const CLOCK_TICKS = 100;
const UPDATE_TOPIC = 'esp8266-sidebar/update';

const sleep = (ms: number) => new Promise((resolve) => setTimeout(resolve, ms));

function cpuTicks(pid: number): number {
  const fields = readFileSync(`/proc/${pid}/stat`, 'utf8')
    .replace(/^.*\) /, '')
    .split(' ');
  // utime and stime are fields 14 and 15 of the line; 12 and 13 after the pid and the name.
  return Number(fields[11]) + Number(fields[12]);
}

async function cpuShare(pid: number, ms: number): Promise<number> {
  const before = cpuTicks(pid);
  const started = performance.now();
  await sleep(ms);
  return (((100 * (cpuTicks(pid) - before)) / CLOCK_TICKS) * 1000) / (performance.now() - started);
}

function flows(): unknown[] {
  const nodes: unknown[] = [{ id: 'bench-tab', type: 'tab', label: 'bench' }];
  for (let i = 0; i < BENCH_BOARDS; i++) {
    nodes.push({
      id: `dev${i}`,
      type: 'esp8266-device',
      name: `board ${i}`,
      port: `sim:sidebar-bench-${i}`,
      baud: '115200',
      reset: 'auto',
    });
    nodes.push({
      id: `read${i}`,
      type: 'ds18b20-read',
      z: 'bench-tab',
      source: 'esp8266',
      device: `dev${i}`,
      interval: '1000',
      output: 'each',
      unit: 'C',
      sensors: [],
      x: 200,
      y: 40 + 40 * i,
      wires: [[]],
    });
  }
  return nodes;
}

const mean = (values: number[]) => values.reduce((a, b) => a + b, 0) / values.length;

export async function sidebarBench(): Promise<BenchTable[]> {
  const preload = path.join(__dirname, 'sidebar-boards.js');
  const nodeRed = await startNodeRed({ nodeArgs: ['--require', preload], readyTimeoutMs: 60_000 });
  const rows: Array<Array<string | number>> = [];
  try {
    const deployed = await fetch(new URL('flows', nodeRed.baseUrl), {
      method: 'POST',
      headers: { 'Content-Type': 'application/json', 'Node-RED-Deployment-Type': 'full' },
      body: JSON.stringify(flows()),
    });
    if (deployed.status !== 204) throw new Error(`deploy failed: HTTP ${deployed.status} ${await deployed.text()}`);
    const comms = new WebSocket(new URL('comms', nodeRed.baseUrl.replace(/^http/, 'ws')));
    await new Promise((resolve, reject) => comms.once('open', resolve).once('error', reject));
    let updateBytes = 0;
    let allBytes = 0;
    let updates = 0;
    comms.on('message', (data: Buffer) => {
      allBytes += data.length;
      for (const entry of JSON.parse(data.toString()) as Array<{ topic: string }>) {
        if (entry.topic !== UPDATE_TOPIC) continue;
        updates += 1;
        updateBytes += Buffer.byteLength(JSON.stringify(entry));
      }
    });
    // The boards boot and the read nodes settle into their rhythm.
    await sleep(8000);
    const closed: number[] = [];
    const open: number[] = [];
    const traffic: number[] = [];
    for (let round = 0; round < ROUNDS; round++) {
      comms.send(JSON.stringify({ topic: 'esp8266-sidebar/watch', data: { open: false } }));
      await sleep(1000);
      const quiet = updateBytes;
      closed.push(await cpuShare(nodeRed.pid, WINDOW_MS));
      rows.push([`tab closed, round ${round + 1}`, closed[round].toFixed(1), '-', `${updateBytes - quiet} bytes in all`, '0']);
      comms.send(JSON.stringify({ topic: 'esp8266-sidebar/watch', data: { open: true } }));
      await sleep(1000);
      const [bytesBefore, allBefore, updatesBefore, started] = [updateBytes, allBytes, updates, performance.now()];
      open.push(await cpuShare(nodeRed.pid, WINDOW_MS));
      const seconds = (performance.now() - started) / 1000;
      traffic.push((updateBytes - bytesBefore) / 1024 / seconds);
      rows.push([
        `tab open, round ${round + 1}`,
        open[round].toFixed(1),
        ((updates - updatesBefore) / seconds).toFixed(1),
        `${((updateBytes - bytesBefore) / 1024 / seconds).toFixed(2)} kB/s (all comms ${((allBytes - allBefore) / 1024 / seconds).toFixed(2)} kB/s)`,
        '< 20 kB/s',
      ]);
    }
    rows.push([
      'CPU rise with the tab open (mean of rounds)',
      (mean(open) - mean(closed)).toFixed(1),
      '-',
      `${mean(traffic).toFixed(2)} kB/s`,
      '< 5 % of a core',
    ]);
    comms.close();
  } finally {
    await nodeRed.stop();
  }
  return [
    {
      title: `Boards sidebar: Node-RED with ${BENCH_BOARDS} virtual boards read every second`,
      columns: ['case', 'Node-RED CPU, % of one core', 'updates/s', 'sidebar traffic', 'target'],
      rows,
      note: `${WINDOW_MS / 1000} s windows; the process's CPU includes the ten emulated ESP8266s. ${os.cpus().length} cores, load average ${os
        .loadavg()
        .map((l) => l.toFixed(2))
        .join(' ')} when measured (the machine may be shared).`,
    },
  ];
}
