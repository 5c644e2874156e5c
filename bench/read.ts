/**
 * Reading DS18B20s with their real conversion time: 1, 10 and 50 sensors on the Linux w1 bus (a fake
 * sysfs tree whose w1_slave reads take 750 ms, as the kernel's do at 12 bits), and 1, 10 and 16 (the
 * firmware's maximum) on the bridge (a virtual board converting for 750 ms, its lines at 115200 baud):
 * readings per second and the longest event-loop stall meanwhile, which must stay small: the reads may
 * never block Node-RED. Also the bridge line parser alone, lines per second. Then one read cycle per
 * resolution (9..12 bit) for 1 and 10 sensors on both sources, beside the data sheet's conversion time,
 * with the median of each case over the cycles of both sources.
 */
import { promises as fs, mkdtempSync, readFileSync } from 'fs';
import * as os from 'os';
import * as path from 'path';
import { performance } from 'perf_hooks';
import { parseBridgeLine } from '../src/onewire/bridge-protocol';
import { BridgeSession } from '../src/onewire/bridge-session';
import { BridgeSource } from '../src/onewire/sensor-source';
import { crc8 } from '../src/onewire/crc8';
import { W1Reader } from '../src/onewire/w1-reader';
import { W1Resolution } from '../src/onewire/w1-resolution';
import { acquireSharedPort } from '../src/serial/shared-port';
import '../src/virtual-ports';
import { createSerialLink } from '../src/serial/open-port';
import { setDefaultSensors } from '../src/sim/onewire/sensor-bus';
import { getVirtualBoard, resetVirtualBoards } from '../src/sim/host/registry';
import { BenchTable, median } from './table';

const PARSE_LINES = 200_000;
const W1_SENSOR_COUNTS = [1, 10, 50];
const BRIDGE_SENSOR_COUNTS = [1, 10, 16];
const ROUNDS = 4;
/** The kernel's w1_therm driver blocks a w1_slave read for the 12-bit conversion. */
const CONVERSION_MS = 750;
/** The DS18B20 data sheet's maximum conversion time per resolution (tCONV). */
const DATASHEET_CONVERSION_MS: Record<number, number> = { 9: 93.75, 10: 187.5, 11: 375, 12: 750 };

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
  return [
    'bridge line parser',
    `${PARSE_LINES} lines`,
    (seconds * 1000).toFixed(0),
    Math.round(PARSE_LINES / seconds).toLocaleString('en'),
  ];
}

/** Measures the longest gap between timer ticks while `work` runs: how long the event loop was blocked. */
async function withLagProbe<T>(work: () => Promise<T>): Promise<{ result: T; worstLagMs: number }> {
  let worstLagMs = 0;
  let last = performance.now();
  const ticker = setInterval(() => {
    const now = performance.now();
    worstLagMs = Math.max(worstLagMs, now - last - 1);
    last = now;
  }, 1);
  try {
    return { result: await work(), worstLagMs };
  } finally {
    clearInterval(ticker);
  }
}

function row(source: string, sensors: number, readings: number, seconds: number, worstLagMs: number): Array<string | number> {
  return [source, sensors, ((seconds * 1000) / ROUNDS).toFixed(0), (readings / seconds).toFixed(1), worstLagMs.toFixed(1)];
}

async function bridgeRow(sensors: number): Promise<Array<string | number>> {
  setDefaultSensors({
    sensors: Array.from({ length: sensors }, (_, i) => ({ ident: ident(i), temperature: 20 + i / 16 })),
  });
  const image = readFileSync(path.resolve(__dirname, '../../firmware/bridge.bin'));
  getVirtualBoard(`bench-read-${sensors}`, { firmware: image });
  const port = acquireSharedPort({ path: `sim:bench-read-${sensors}`, baudRate: 115200, createLink: createSerialLink });
  const session = new BridgeSession(port);
  try {
    await session.read(); // finds the board and scans the bus
    const started = performance.now();
    const { result: readings, worstLagMs } = await withLagProbe(async () => {
      let count = 0;
      for (let i = 0; i < ROUNDS; i++) {
        const cycle = await session.read();
        if (cycle.outcomes.length !== sensors) throw new Error(`read ${cycle.outcomes.length} of ${sensors} sensors`);
        count += cycle.outcomes.length;
      }
      return count;
    });
    return row('ESP8266 bridge', sensors, readings, (performance.now() - started) / 1000, worstLagMs);
  } finally {
    session.close();
    await port.releaseReference();
    resetVirtualBoards();
    setDefaultSensors({});
  }
}

/** A w1 reader whose w1_slave reads take the data sheet's conversion time for the sensor's resolution, as w1_therm waits. */
class ConvertingW1Reader extends W1Reader {
  protected override async readAttribute(file: string): Promise<string> {
    if (file.endsWith('w1_slave')) {
      const bits = Number((await fs.readFile(path.join(path.dirname(file), 'resolution'), 'utf8')).trim());
      await new Promise((resolve) => setTimeout(resolve, DATASHEET_CONVERSION_MS[bits] ?? CONVERSION_MS));
    }
    return super.readAttribute(file);
  }
}

/** A fake w1 sysfs tree of `sensors` DS18B20s at 23.125 °C and `bits` resolution under `root`; their idents. */
async function writeW1Tree(root: string, sensors: number, bits = 12): Promise<string[]> {
  const idents = Array.from({ length: sensors }, (_, i) => ident(i));
  await fs.mkdir(path.join(root, 'w1_bus_master1'), { recursive: true });
  await fs.writeFile(path.join(root, 'w1_bus_master1', 'w1_master_slaves'), idents.join('\n') + '\n');
  for (const id of idents) {
    // the scratchpad's configuration byte says the resolution, as the sensor's would
    const body = [0x72, 0x01, 0x4b, 0x46, ((bits - 9) << 5) | 0x1f, 0xff, 0x0e, 0x10];
    const hex = [...body, crc8(body)].map((b) => b.toString(16).padStart(2, '0')).join(' ') + ' ';
    await fs.mkdir(path.join(root, id));
    await fs.writeFile(path.join(root, id, 'w1_slave'), `${hex}: crc=${hex.slice(24, 26)} YES\n${hex}t=23125\n`);
    await fs.writeFile(path.join(root, id, 'resolution'), '12\n');
  }
  return idents;
}

async function w1Row(sensors: number): Promise<Array<string | number>> {
  const tmp = mkdtempSync(path.join(os.tmpdir(), 'bench-w1-'));
  const root = path.join(tmp, 'devices');
  try {
    await writeW1Tree(root, sensors);
    const reader = new ConvertingW1Reader({ root });
    const started = performance.now();
    const { result: readings, worstLagMs } = await withLagProbe(async () => {
      let count = 0;
      for (let i = 0; i < ROUNDS; i++) count += (await reader.readAll()).filter((outcome) => outcome.ok).length;
      return count;
    });
    return row('Linux w1', sensors, readings, (performance.now() - started) / 1000, worstLagMs);
  } finally {
    await fs.rm(tmp, { recursive: true, force: true });
  }
}

const RESOLUTION_SENSOR_COUNTS = [1, 10];

interface CycleTimes {
  /** The board's own clock (bridge only). */
  virtualMs: number[];
  wallMs: number[];
}

/** ROUNDS read cycles on the bridge at `bits`, in the virtual board's time and in wall time. */
async function bridgeCycles(bits: number, sensors: number): Promise<CycleTimes> {
  setDefaultSensors({ sensors: Array.from({ length: sensors }, (_, i) => ({ ident: ident(i), temperature: 20 + i / 16 })) });
  const image = readFileSync(path.resolve(__dirname, '../../firmware/bridge.bin'));
  const name = `bench-res-${bits}-${sensors}`;
  const board = getVirtualBoard(name, { firmware: image });
  const port = acquireSharedPort({ path: `sim:${name}`, baudRate: 115200, createLink: createSerialLink });
  const source = new BridgeSource(port, { resolution: bits });
  try {
    await source.read(); // finds the board and sets the resolution
    const times: CycleTimes = { virtualMs: [], wallMs: [] };
    for (let i = 0; i < ROUNDS; i++) {
      const virtualStart = board.uptimeMs as number;
      const wallStart = performance.now();
      const cycle = await source.read();
      if (cycle.outcomes.some((o) => !o.ok || o.reading.resolution !== bits)) throw new Error(`a sensor did not read at ${bits} bit`);
      times.virtualMs.push((board.uptimeMs as number) - virtualStart);
      times.wallMs.push(performance.now() - wallStart);
    }
    return times;
  } finally {
    source.close();
    await port.releaseReference();
    resetVirtualBoards();
    setDefaultSensors({});
  }
}

/** ROUNDS read cycles on a fake w1 tree after setting `bits` through the `resolution` attribute, in wall time. */
async function w1Cycles(bits: number, sensors: number): Promise<CycleTimes> {
  const tmp = mkdtempSync(path.join(os.tmpdir(), 'bench-w1-res-'));
  const root = path.join(tmp, 'devices');
  try {
    const idents = await writeW1Tree(root, sensors, bits);
    const report = await new W1Resolution(root, bits).apply(idents);
    if (report) throw new Error(`the resolution was not set: ${report.detail}`);
    const reader = new ConvertingW1Reader({ root });
    const times: CycleTimes = { virtualMs: [], wallMs: [] };
    for (let i = 0; i < ROUNDS; i++) {
      const wallStart = performance.now();
      const outcomes = await reader.readAll();
      if (outcomes.some((o) => !o.ok || o.reading.resolution !== bits)) throw new Error(`a w1 sensor did not read at ${bits} bit`);
      times.wallMs.push(performance.now() - wallStart);
    }
    return times;
  } finally {
    await fs.rm(tmp, { recursive: true, force: true });
  }
}

/** One case (resolution, sensor count) on both sources, and the median over the cycles of both. */
async function resolutionRow(bits: number, sensors: number): Promise<Array<string | number>> {
  const bridge = await bridgeCycles(bits, sensors);
  const w1 = await w1Cycles(bits, sensors);
  return [
    bits,
    sensors,
    DATASHEET_CONVERSION_MS[bits],
    median(bridge.virtualMs).toFixed(1),
    median(bridge.wallMs).toFixed(1),
    median(w1.wallMs).toFixed(1),
    median([...bridge.wallMs, ...w1.wallMs]).toFixed(1),
  ];
}

export async function readBench(): Promise<BenchTable[]> {
  const resolutionRows: Array<Array<string | number>> = [];
  for (const bits of [9, 10, 11, 12]) {
    for (const sensors of RESOLUTION_SENSOR_COUNTS) resolutionRows.push(await resolutionRow(bits, sensors));
  }
  const rows: Array<Array<string | number>> = [];
  for (const sensors of W1_SENSOR_COUNTS) rows.push(await w1Row(sensors));
  for (const sensors of BRIDGE_SENSOR_COUNTS) rows.push(await bridgeRow(sensors));
  const parser = parserRow();
  return [
    {
      title: 'Reading DS18B20 sensors, conversion time included',
      columns: ['source', 'sensors', 'ms per read of all', 'readings/s', 'longest event-loop stall ms'],
      rows,
      note:
        `Each sensor takes ${CONVERSION_MS} ms to convert at 12 bits. The w1 reader reads as many sensors at a time as ` +
        "the process's w1 gate allows (libuv's pool less two threads: 2 by default), and a real bus master may serialise " +
        "part of the kernel's work; the bridge converts every sensor at once, then " +
        `sends one ~95-byte line per sensor at 115200 baud. The bridge line parser alone: ${parser[3]} lines/s.`,
    },
    {
      title: 'Read cycle by resolution, both sources',
      columns: [
        'resolution bits',
        'sensors',
        'data sheet conversion ms',
        'bridge cycle ms, virtual',
        'bridge cycle ms, wall',
        'w1 cycle ms, wall',
        'median of both sources ms, wall',
      ],
      rows: resolutionRows,
      note:
        `Each source: the median of ${ROUNDS} read cycles after the resolution was set (the firmware's res command on ` +
        'the virtual board running bridge.bin; the w1 resolution attribute on a fake sysfs tree whose w1_slave reads take ' +
        "the data sheet's conversion time, as w1_therm waits, read as many at a time as the w1 gate allows, so 10 " +
        'sensors take five conversions with the default pool). The last column is the median of all ' +
        `${2 * ROUNDS} cycles of the case. Virtual time is the board's own clock (conversion, 1-Wire traffic, serial lines ` +
        "and the host's turn-around as the board saw it); wall time adds what the host spent. Externally powered sensors: " +
        'the firmware polls until the conversion ends.',
    },
  ];
}
