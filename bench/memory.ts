/**
 * Memory: Node-RED's resident memory when idle, with and without this package (and
 * whether esptool-js was loaded, which should wait for a flash), and what 100,000
 * readings waiting offline cost, within the configured byte bound: in the connection alone, and in a
 * deployed flespi-mqtts-out node, where each waiting message also holds what Node-RED handed the node.
 */
import { fork } from 'child_process';
import * as fs from 'fs';
import * as os from 'os';
import * as path from 'path';
import { pathToFileURL } from 'url';
import { FlespiConnection } from '../src/flespi/connection';
import { createCertificateAuthority } from '../src/demo/local-pki';
import { nodeRedVersion } from '../src/demo/embedded-node-red';
import { freePort } from '../test/support/free-port';
import { startNodeRed } from '../test/e2e/support/node-red-process';
import { waitUntil } from '../test/support/wait';
import { BenchTable, median } from './table';
import type { OfflineNodeMemory } from './offline-node-memory-process';

const BUFFERED = 100_000;
const MB = 1024 * 1024;

const IDLE_SETTLE_MS = 5000;
const IDLE_RUNS = 3;

/** An ES module hook that notes every import of esptool-js in `marker`. */
function importWatcher(marker: string): string {
  const hooks = `import { appendFileSync } from 'node:fs';
export async function resolve(specifier, context, next) {
  if (specifier === 'esptool-js' || specifier.startsWith('esptool-js/')) appendFileSync(${JSON.stringify(marker)}, specifier + '\\n');
  return next(specifier, context);
}`;
  const file = path.join(path.dirname(marker), 'watch-imports.mjs');
  fs.writeFileSync(
    file,
    `import { register } from 'node:module';\nregister(${JSON.stringify(`data:text/javascript,${encodeURIComponent(hooks)}`)});\n`,
  );
  return pathToFileURL(file).href;
}

/**
 * A preload that, on SIGUSR2, runs a full garbage collection and writes the process's memory use to
 * `out`, so idle figures do not depend on when the collector last ran.
 */
function memorySampler(out: string): string {
  const file = path.join(path.dirname(out), 'sample-memory.mjs');
  fs.writeFileSync(
    file,
    `import { renameSync, writeFileSync } from 'node:fs';
process.on('SIGUSR2', () => {
  globalThis.gc?.();
  writeFileSync(${JSON.stringify(`${out}.part`)}, JSON.stringify(process.memoryUsage()));
  renameSync(${JSON.stringify(`${out}.part`)}, ${JSON.stringify(out)});
});
`,
  );
  return pathToFileURL(file).href;
}

async function sampleMemory(pid: number, out: string): Promise<NodeJS.MemoryUsage> {
  process.kill(pid, 'SIGUSR2');
  await waitUntil(() => fs.existsSync(out), 10_000, 'the memory sample');
  return JSON.parse(fs.readFileSync(out, 'utf8')) as NodeJS.MemoryUsage;
}

type IdleSetup = 'core' | 'package' | 'package+virtual-board';

/** The virtual board's code, as every Node-RED with this package loaded it before 0.2.0. */
const VIRTUAL_BOARD_MODULE = path.resolve(__dirname, '..', 'src', 'sim', 'host', 'port-provider.js');

async function idleNodeRed(setup: IdleSetup): Promise<{ rss: number; heap: number; esptoolLoaded: boolean }> {
  const scratch = fs.mkdtempSync(path.join(os.tmpdir(), 'idle-'));
  const marker = path.join(scratch, 'esptool-imports.txt');
  const sample = path.join(scratch, 'memory.json');
  const preload = setup === 'package+virtual-board' ? ['--require', VIRTUAL_BOARD_MODULE] : [];
  const nodeArgs = ['--expose-gc', '--import', importWatcher(marker), '--import', memorySampler(sample), ...preload];
  const nodeRed = await startNodeRed({ packageFrom: setup === 'core' ? 'none' : 'working-tree', nodeArgs });
  try {
    await new Promise((resolve) => setTimeout(resolve, IDLE_SETTLE_MS));
    const memory = await sampleMemory(nodeRed.pid, sample);
    return { rss: memory.rss / MB, heap: memory.heapUsed / MB, esptoolLoaded: fs.existsSync(marker) };
  } finally {
    await nodeRed.stop();
    fs.rmSync(scratch, { recursive: true, force: true });
  }
}

export async function memoryBench(): Promise<BenchTable[]> {
  const rows: Array<[string, IdleSetup]> = [
    ['core nodes only', 'core'],
    ['with this package', 'package'],
    ['with this package and the virtual board loaded (as before 0.2.0)', 'package+virtual-board'],
  ];
  const idle: BenchTable = {
    title: 'Node-RED resident memory, idle with an empty flow',
    columns: [
      `Node-RED ${nodeRedVersion()}, Node.js ${process.versions.node}`,
      'RSS MB (median, range)',
      'JS heap MB (median)',
      'esptool-js loaded',
    ],
    rows: [],
    note: `${IDLE_RUNS} starts each, measured ${IDLE_SETTLE_MS / 1000} s after "Started flows", right after a full garbage collection. esptool-js is imported only when a flash starts, the virtual board only when a sim: port is used. The last row preloads the virtual board's modules (node --require), as the serial layer's imports did before 0.2.0: compare the JS heap; RSS also moves with the order in which code is loaded.`,
  };
  for (const [label, setup] of rows) {
    const runs = [];
    for (let run = 0; run < IDLE_RUNS; run += 1) runs.push(await idleNodeRed(setup));
    const rss = runs.map((r) => r.rss);
    idle.rows.push([
      label,
      `${median(rss).toFixed(1)} (${Math.min(...rss).toFixed(1)}–${Math.max(...rss).toFixed(1)})`,
      median(runs.map((r) => r.heap)).toFixed(1),
      runs.some((r) => r.esptoolLoaded) ? 'yes' : 'no',
    ]);
  }
  return [idle, await bufferedOffline(), await waitingInNode()];
}

async function bufferedOffline(): Promise<BenchTable> {
  const ca = await createCertificateAuthority('bench CA');
  const port = await freePort(); // nothing listens: the broker is "down"
  global.gc?.();
  const before = process.memoryUsage();
  const connection = new FlespiConnection({
    host: 'localhost',
    port,
    protocolVersion: 5,
    clientId: 'memory-bench',
    keepaliveSeconds: 60,
    token: 'x',
    extraCa: ca.cert,
    outbox: { maxMessages: BUFFERED, maxBytes: 64 * MB },
    backoff: { initialMs: 60_000, maxMs: 60_000 },
  });
  const pending: Array<Promise<void>> = [];
  for (let seq = 0; seq < BUFFERED; seq += 1) {
    const reading = {
      ident: '28-0316a27950ff',
      timestamp: Date.now() / 1000,
      temperature: 21.4375,
      resolution: 12,
      power: 'external',
      seq,
    };
    pending.push(
      connection
        .publish({ topic: 'sensors/28-0316a27950ff/temperature', payload: Buffer.from(JSON.stringify(reading)), qos: 1, retain: false })
        .catch(() => undefined),
    );
  }
  global.gc?.();
  const after = process.memoryUsage();
  const waiting = connection.waiting;
  await connection.close();
  await Promise.all(pending);
  return {
    title: 'Memory with 100,000 readings buffered offline',
    columns: ['readings waiting', 'buffer bound', 'JS heap growth MB', 'Buffer memory growth MB'],
    rows: [
      [
        waiting,
        '100000 messages / 64 MB',
        ((after.heapUsed - before.heapUsed) / MB).toFixed(1),
        ((after.arrayBuffers - before.arrayBuffers) / MB).toFixed(1),
      ],
    ],
    note: 'Each reading is about 130 bytes of JSON on a 38-byte topic; the growth includes the promise and bookkeeping per message.',
  };
}

const NODE_MESSAGES = 20_000;
const RAW_BYTES = 2048;

function offlineNodeMemory(rawBytes: number, buffer: 'memory' | 'disk'): Promise<OfflineNodeMemory> {
  const child = fork(path.join(__dirname, 'offline-node-memory-process.js'), [], {
    execArgv: ['--expose-gc'],
    env: { ...process.env, BENCH_MESSAGES: String(NODE_MESSAGES), BENCH_RAW_BYTES: String(rawBytes), BENCH_BUFFER: buffer },
    stdio: ['ignore', 'pipe', 'inherit', 'ipc'],
  });
  let out = '';
  child.stdout?.on('data', (chunk: Buffer) => {
    out += chunk.toString();
  });
  return new Promise((resolve, reject) => {
    child.once('exit', (code) =>
      code === 0
        ? resolve(JSON.parse(out.trim().split('\n').pop() ?? '') as OfflineNodeMemory)
        : reject(new Error(`the measuring process exited with ${code}`)),
    );
  });
}

async function waitingInNode(): Promise<BenchTable> {
  const rows: Array<Array<string | number>> = [];
  for (const [label, rawBytes, buffer] of [
    ['a reading', 0, 'memory'],
    [`a reading and ${RAW_BYTES} B of msg.raw`, RAW_BYTES, 'memory'],
    [`a reading and ${RAW_BYTES} B of msg.raw`, RAW_BYTES, 'disk'],
  ] as const) {
    const m = await offlineNodeMemory(rawBytes, buffer);
    const total = m.heapBytes + m.bufferBytes;
    rows.push([
      label,
      buffer,
      m.waiting,
      Math.round(m.packetBytes),
      Math.round(m.heapBytes),
      Math.round(m.bufferBytes),
      (total / m.packetBytes).toFixed(2),
    ]);
  }
  return {
    title: 'Memory per message waiting in a deployed flespi-mqtts-out node, broker down',
    columns: [
      'each msg carries',
      'buffer',
      'messages waiting',
      'encoded packet B',
      'JS heap B / message',
      'Buffer memory B / message',
      'memory / packet',
    ],
    rows,
    note:
      `Node-RED embedded in a process of its own; ${NODE_MESSAGES} messages (a reading as payload, msg.topic, msg.sensor, and in two rows msg.raw, a string of its own per message) handed to the node while nothing listens on the broker's port. ` +
      "Growth after a full garbage collection (and, on disk, once the store has written them), per message, beside the PUBLISH packet as the buffer's byte bound counts it: memory / packet is what the byte bound under-counts by.",
  };
}
