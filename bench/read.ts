/**
 * Reading DS18B20s: the cost of the host side, apart from the sensors' own conversion time.
 * - the bridge line parser, lines per second;
 * - a read cycle on a virtual board with 16 sensors (conversion time set to zero), through the serial
 *   model at 115200 baud, the session and the protocol client: what one `read` costs beyond the 750 ms;
 * - the w1 reader on a fake sysfs tree of 40 sensors: time per read of all, and the longest event-loop
 *   stall meanwhile (the reads must never block Node-RED).
 */
import { promises as fs, mkdtempSync, readFileSync } from 'fs';
import * as os from 'os';
import * as path from 'path';
import { performance } from 'perf_hooks';
import { parseBridgeLine } from '../src/onewire/bridge-protocol';
import { BridgeSession } from '../src/onewire/bridge-session';
import { crc8 } from '../src/onewire/crc8';
import { W1Reader } from '../src/onewire/w1-reader';
import { acquireSharedPort } from '../src/serial/shared-port';
import { createSerialLink } from '../src/serial/open-port';
import { setDefaultSimulatedBus } from '../src/sim/bridge/bridge-kind';
import { getVirtualBoard, resetVirtualBoards } from '../src/sim/registry';
import { BenchTable } from './table';

const PARSE_LINES = 200_000;
const BRIDGE_SENSORS = 16;
const BRIDGE_CYCLES = 20;
const W1_SENSORS = 40;
const W1_ROUNDS = 20;

function ident(i: number, family = '28'): string {
  return `${family}-${(0x10000 + i).toString(16).padStart(12, '0')}`;
}

function parserRow(): Array<string | number> {
  const lines = [
    '{"type":"temp","ident":"28-0316a27950ff","millicelsius":21437,"resolution":12,"power":"external"}',
    '{"type":"err","code":"crc","ident":"10-000802b4a1c3"}',
    ' ets Jan  8 2013,rst cause:2, boot mode:(3,6)',
    '{"type":"cycle","trigger":"read","count":2,"errors":1}',
  ];
  const started = performance.now();
  for (let i = 0; i < PARSE_LINES; i++) parseBridgeLine(lines[i & 3]);
  const seconds = (performance.now() - started) / 1000;
  return ['bridge line parser', `${PARSE_LINES} lines`, (seconds * 1000).toFixed(0), Math.round(PARSE_LINES / seconds).toLocaleString('en')];
}

async function bridgeRow(): Promise<Array<string | number>> {
  setDefaultSimulatedBus({
    conversionTimeScale: 0,
    sensors: Array.from({ length: BRIDGE_SENSORS }, (_, i) => ({ ident: ident(i), temperature: 20 + i / 16 })),
  });
  const image = readFileSync(path.resolve(__dirname, '../../firmware/bridge.bin'));
  getVirtualBoard('bench-read', { firmware: image });
  const port = acquireSharedPort({ path: 'sim:bench-read', baudRate: 115200, createLink: createSerialLink });
  const session = new BridgeSession(port);
  try {
    await session.read(); // connect and warm up
    const times: number[] = [];
    for (let i = 0; i < BRIDGE_CYCLES; i++) {
      const started = performance.now();
      const cycle = await session.read();
      times.push(performance.now() - started);
      if (cycle.outcomes.length !== BRIDGE_SENSORS) throw new Error(`read ${cycle.outcomes.length} sensors`);
    }
    times.sort((a, b) => a - b);
    return ['read cycle, virtual board at 115200 baud', `${BRIDGE_SENSORS} sensors`, times[times.length >> 1].toFixed(1), `${(BRIDGE_SENSORS / (times[times.length >> 1] / 1000)).toFixed(0)}`];
  } finally {
    session.close();
    await port.releaseReference();
    resetVirtualBoards();
    setDefaultSimulatedBus({});
  }
}

async function w1Row(): Promise<Array<string | number>> {
  const tmp = mkdtempSync(path.join(os.tmpdir(), 'bench-w1-'));
  const root = path.join(tmp, 'devices');
  try {
    const idents = Array.from({ length: W1_SENSORS }, (_, i) => ident(i));
    await fs.mkdir(path.join(root, 'w1_bus_master1'), { recursive: true });
    await fs.writeFile(path.join(root, 'w1_bus_master1', 'w1_master_slaves'), idents.join('\n') + '\n');
    for (const id of idents) {
      const body = [0x72, 0x01, 0x4b, 0x46, 0x7f, 0xff, 0x0e, 0x10];
      const hex = [...body, crc8(body)].map((b) => b.toString(16).padStart(2, '0')).join(' ') + ' ';
      await fs.mkdir(path.join(root, id));
      await fs.writeFile(path.join(root, id, 'w1_slave'), `${hex}: crc=${hex.slice(24, 26)} YES\n${hex}t=23125\n`);
    }
    const reader = new W1Reader({ root });
    let worstLag = 0;
    let last = performance.now();
    const ticker = setInterval(() => {
      const now = performance.now();
      worstLag = Math.max(worstLag, now - last);
      last = now;
    }, 1);
    const started = performance.now();
    for (let i = 0; i < W1_ROUNDS; i++) await reader.readAll();
    const perRound = (performance.now() - started) / W1_ROUNDS;
    clearInterval(ticker);
    return ['w1 reader, fake sysfs tree', `${W1_SENSORS} sensors`, perRound.toFixed(1), `${(W1_SENSORS / (perRound / 1000)).toFixed(0)} (longest event-loop stall ${worstLag.toFixed(1)} ms)`];
  } finally {
    await fs.rm(tmp, { recursive: true, force: true });
  }
}

export async function readBench(): Promise<BenchTable[]> {
  return [{
    title: 'Reading DS18B20s: host-side cost (sensor conversion time excluded)',
    columns: ['what', 'size', 'ms (median for the bridge)', 'per second'],
    rows: [parserRow(), await bridgeRow(), await w1Row()],
    note: 'The bridge cycle is mostly wire time: 16 `temp` lines of about 95 bytes at 115200 baud take 130 ms. A real DS18B20 adds up to 750 ms of conversion per cycle at 12 bits; the kernel adds it to every w1 read.',
  }];
}
