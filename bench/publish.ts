/**
 * Publishing readings through Node-RED into mosquitto over TLS with MQTT 5: this
 * package's flespi-mqtts-out with its durable outbox (the default), with the outbox in
 * memory only, and Node-RED's core `mqtt out` node, in the same run, at QoS 1 and QoS 0.
 * Throughput counts until a subscriber has every message; latency is from the node
 * receiving a message to the subscriber receiving it. Then the durable outbox's disk
 * writes at 10 and 1,000 readings/s, with the broker up and during an outage.
 */
import * as fs from 'fs';
import * as os from 'os';
import * as path from 'path';
import { performance } from 'perf_hooks';
import type { Node } from 'node-red';
import type { FlespiBrokerNode } from '../nodes/flespi-broker/broker-api';
import { EmbeddedNodeRed, startEmbeddedNodeRed } from '../src/demo/embedded-node-red';
import { Mosquitto, startMosquitto } from '../test/support/mosquitto';
import { testPki } from '../test/support/pki';
import { fork, ChildProcess } from 'child_process';
import { waitUntil } from '../test/support/wait';
import { BenchTable, median, percentile } from './table';

const MESSAGES = Number(process.env.BENCH_MESSAGES ?? 100_000);
/** Measured runs of each row, interleaved across rows so that a drift of the machine touches every row alike; the median is reported. */
const ROUNDS = Number(process.env.BENCH_ROUNDS ?? 3);
const BURST = 500;
const PACED = Number(process.env.BENCH_PACED ?? 5000);
const WRITE_SECONDS = Number(process.env.BENCH_WRITE_SECONDS ?? 5);
const TOKEN = 'B'.repeat(64);

type Kind = 'flespi-mqtts-out, disk' | 'flespi-mqtts-out, memory' | 'flespi-mqtts-out, memory, wss' | 'core mqtt out';
/** BENCH_ONLY=memory,core runs the kinds whose names contain one of the words (for profiling one path). */
const KINDS = (['flespi-mqtts-out, disk', 'flespi-mqtts-out, memory', 'flespi-mqtts-out, memory, wss', 'core mqtt out'] as Kind[]).filter(
  (kind) => !process.env.BENCH_ONLY || process.env.BENCH_ONLY.split(',').some((word) => kind.includes(word)),
);
/** BENCH_QOS=0 runs one QoS only. */
const QOS_LEVELS = ([1, 0] as const).filter((qos) => process.env.BENCH_QOS === undefined || Number(process.env.BENCH_QOS) === qos);

/** The flow under test, credentials inline as a deploy through the admin API takes them. */
function flowFor(kind: Kind, ports: Ports, qos: 0 | 1, ca: string) {
  const at = { z: 'tab', x: 100, y: 100 };
  const port = ports.mosquitto;
  if (kind !== 'core mqtt out') {
    const transport = kind.endsWith('wss') ? { transport: 'wss', port: ports.webSockets, wsPath: '/mqtt' } : { transport: 'tls', port };
    return [
      { id: 'tab', type: 'tab' },
      {
        id: 'broker',
        type: 'flespi-broker',
        host: 'localhost',
        ...transport,
        protocolVersion: 5,
        keepalive: 60,
        pin: '',
        bufferMessages: MESSAGES * 2,
        bufferMegabytes: 256,
        buffer: kind === 'flespi-mqtts-out, disk' ? 'disk' : 'memory',
        credentials: { token: TOKEN, ca },
      },
      { id: 'out', type: 'flespi-mqtts-out', ...at, broker: 'broker', topic: 'bench/{{ident}}', qos, retain: false, outputs: 0, wires: [] },
    ];
  }
  return [
    { id: 'tab', type: 'tab' },
    { id: 'tls', type: 'tls-config', cert: '', key: '', ca: '', verifyservercert: true, servername: '', credentials: { cadata: ca } },
    {
      id: 'broker',
      type: 'mqtt-broker',
      broker: 'localhost',
      port,
      usetls: true,
      tls: 'tls',
      clientid: '',
      autoConnect: true,
      protocolVersion: 5,
      keepalive: 60,
      cleansession: true,
      credentials: { user: `FlespiToken ${TOKEN}`, password: '' },
    },
    { id: 'out', type: 'mqtt out', ...at, broker: 'broker', topic: 'bench/core', qos: String(qos), retain: 'false', wires: [] },
  ];
}

interface Run {
  throughput: number;
  /** CPU time of this process (Node-RED and the node under test) per message: steadier than messages/s on a busy machine. */
  cpuMicros: number;
  /** CPU time of the subscriber process per message: what reading the messages costs a consumer. */
  subscriberMicros: number;
  p50: number;
  p99: number;
}

interface Ports {
  mosquitto: number;
  /** The WebSocket bridge to mosquitto (ws-bridge-process.ts). */
  webSockets: number;
}

interface Setup {
  nodeRed: EmbeddedNodeRed;
  broker: Mosquitto;
  subscriber: ChildProcess;
  bridge: ChildProcess;
  webSocketPort: number;
  ca: string;
}

async function startWebSocketBridge(
  port: number,
  pki: Awaited<ReturnType<typeof testPki>>,
): Promise<{ bridge: ChildProcess; port: number }> {
  const bridge = fork(path.join(__dirname, 'ws-bridge-process.js'), [], {
    env: { ...process.env, BENCH_PORT: String(port), BENCH_CA: pki.ca.cert, BENCH_CERT: pki.server.cert, BENCH_KEY: pki.server.key },
  });
  const listening = await new Promise<number>((resolve, reject) => {
    bridge.once('message', (message: { port: number }) => resolve(message.port));
    bridge.once('exit', (code) => reject(new Error(`the WebSocket bridge exited with ${code}`)));
  });
  return { bridge, port: listening };
}

/** Wall-clock milliseconds, comparable with the subscriber process's. */
const now = () => performance.timeOrigin + performance.now();

async function startSubscriber(port: number, ca: string): Promise<ChildProcess> {
  const child = fork(path.join(__dirname, 'subscriber-process.js'), [], {
    env: { ...process.env, BENCH_PORT: String(port), BENCH_TOKEN: TOKEN, BENCH_CA: ca },
  });
  await new Promise<void>((resolve, reject) => {
    child.once('message', () => resolve());
    child.once('exit', (code) => reject(new Error(`the subscriber exited with ${code}`)));
  });
  return child;
}

let runNumber = 0;

const reading = (run: number, seq: number) => ({
  payload: { ident: '28-0316a27950ff', timestamp: Date.now() / 1000, temperature: 21.5, run, seq },
});

/**
 * Feeds `count` readings to the node: in bursts of 500 per event-loop turn for
 * throughput, or one every millisecond (`paced`) for the latency of a steady stream.
 */
async function feed(
  { nodeRed, broker, subscriber, ca, webSocketPort }: Setup,
  kind: Kind,
  qos: 0 | 1,
  count: number,
  paced: boolean,
): Promise<Run> {
  const run = ++runNumber;
  const sentAt = new Float64Array(count);
  const arrivedAt = new Float64Array(count);
  let arrived = 0;
  let subscriberCpu = NaN;
  let reports = 0;
  const onMessage = (message: { arrivals?: number[]; cpuMicros?: number }) => {
    const arrivals = message.arrivals ?? [];
    subscriberCpu = message.cpuMicros ?? NaN;
    reports += 1;
    for (let i = 0; i < arrivals.length; i += 3) {
      if (arrivals[i] !== run) continue;
      const seq = arrivals[i + 1];
      if (arrivedAt[seq] === 0) arrived += 1;
      arrivedAt[seq] = arrivals[i + 2];
    }
  };
  subscriber.on('message', onMessage);
  const connected = () => broker.log().match(/New client connected/g)?.length ?? 0;
  const before = connected();
  await nodeRed.deploy(flowFor(kind, { mosquitto: broker.port, webSockets: webSocketPort }, qos, ca));
  await waitUntil(
    () => connected() > before && nodeRed.nodes.getNode('out') !== null && hasConnack(nodeRed, kind),
    10_000,
    'the node to connect',
  );

  const out = nodeRed.nodes.getNode('out') as { receive(msg: object): void };
  const subscriberCpuAt = async () => {
    const after = reports;
    await waitUntil(() => reports > after, 5_000, 'a report from the subscriber');
    return subscriberCpu;
  };
  const subscriberBefore = await subscriberCpuAt();
  const started = now();
  const cpuBefore = process.cpuUsage();
  for (let seq = 0; seq < count; seq += 1) {
    sentAt[seq] = now();
    out.receive(reading(run, seq));
    if (paced) await new Promise((resolve) => setTimeout(resolve, 1));
    else if (seq % BURST === BURST - 1) await new Promise((resolve) => setImmediate(resolve));
  }
  await waitUntil(() => arrived === count, 120_000, `all ${count} messages at the subscriber`).catch((error: Error) => {
    throw new Error(`${kind}, QoS ${qos}: ${arrived} of ${count} arrived: ${error.message}\n${broker.log().slice(-1500)}`);
  });
  const cpu = process.cpuUsage(cpuBefore);
  const subscriberMicros = (await subscriberCpuAt()) - subscriberBefore;
  const seconds = (arrivedAt.reduce((a, b) => Math.max(a, b), 0) - started) / 1000;
  const latencies = Float64Array.from(arrivedAt, (at, seq) => at - sentAt[seq]).sort();
  subscriber.off('message', onMessage);
  await nodeRed.deploy([]);
  return {
    throughput: count / seconds,
    cpuMicros: (cpu.user + cpu.system) / count,
    subscriberMicros: subscriberMicros / count,
    p50: percentile(latencies, 0.5),
    p99: percentile(latencies, 0.99),
  };
}

/** Whether the node under test has its CONNACK: the core node drops what comes before it, ours would queue it. */
function hasConnack(nodeRed: EmbeddedNodeRed, kind: Kind): boolean {
  const broker = nodeRed.nodes.getNode('broker') as (FlespiBrokerNode & { connected?: boolean }) | null;
  if (!broker) return false;
  if (kind === 'core mqtt out') return broker.connected === true;
  const probe = { id: 'bench-probe' } as Node;
  const connected = broker.acquire(probe).state.kind === 'connected';
  void broker.release(probe);
  return connected;
}

/** Feeds readings at `perSecond` for WRITE_SECONDS and returns what the durable outbox wrote meanwhile. */
async function diskWrites(
  { nodeRed, broker, ca, webSocketPort }: Setup,
  perSecond: number,
  online: boolean,
): Promise<{ readings: number; bytes: number; syncs: number; seconds: number }> {
  await nodeRed.deploy(flowFor('flespi-mqtts-out, disk', { mosquitto: broker.port, webSockets: webSocketPort }, 1, ca));
  await waitUntil(
    () => nodeRed.nodes.getNode('out') !== null && (!online || hasConnack(nodeRed, 'flespi-mqtts-out, disk')),
    10_000,
    'the flow to start',
  );
  const brokerNode = nodeRed.nodes.getNode('broker') as FlespiBrokerNode;
  const probe = { id: 'bench-probe' } as Node;
  const stats = () => brokerNode.acquire(probe).publishQueue.logStats ?? { bytesWritten: 0, syncs: 0 };
  const before = { ...stats() };
  const out = nodeRed.nodes.getNode('out') as { receive(msg: object): void };
  const run = ++runNumber;
  const started = performance.now();
  let sent = 0;
  while (performance.now() - started < WRITE_SECONDS * 1000) {
    const due = Math.floor(((performance.now() - started) / 1000) * perSecond);
    while (sent < due) out.receive(reading(run, sent++));
    await new Promise((resolve) => setTimeout(resolve, 1));
  }
  await new Promise((resolve) => setTimeout(resolve, 300)); // let the last group commit land
  const after = stats();
  const seconds = (performance.now() - started) / 1000;
  await brokerNode.release(probe);
  await nodeRed.deploy([]);
  return { readings: sent, bytes: after.bytesWritten - before.bytesWritten, syncs: after.syncs - before.syncs, seconds };
}

export async function publishBench(): Promise<BenchTable[]> {
  const userDir = fs.mkdtempSync(path.join(os.tmpdir(), 'bench-node-red-'));
  const nodeRed = await startEmbeddedNodeRed({ userDir, port: 0, logLevel: 'warn' });
  const pki = await testPki();
  const broker = await startMosquitto({
    server: pki.server,
    token: TOKEN,
    logTypes: ['error', 'warning', 'notice', 'information'],
    extraConfig: ['max_queued_messages 0', 'max_inflight_messages 0'],
  });
  const subscriber = await startSubscriber(broker.port, pki.ca.cert);
  const { bridge, port: webSocketPort } = await startWebSocketBridge(broker.port, pki);
  const setup: Setup = { nodeRed, broker, subscriber, bridge, webSocketPort, ca: pki.ca.cert };
  const rows: Array<Array<string | number>> = [];
  const writeRows: Array<Array<string | number>> = [];
  try {
    // One unmeasured pass first: the row measured first would otherwise pay for the JIT.
    for (const qos of QOS_LEVELS) for (const kind of KINDS) await feed(setup, kind, qos, Math.ceil(MESSAGES / 5), false);
    const bursts = new Map<string, Run[]>();
    for (let round = 0; round < ROUNDS; round += 1) {
      for (const qos of QOS_LEVELS) {
        for (const kind of KINDS) {
          const key = `${qos} ${kind}`;
          bursts.set(key, [...(bursts.get(key) ?? []), await feed(setup, kind, qos, MESSAGES, false)]);
        }
      }
    }
    for (const qos of QOS_LEVELS) {
      for (const kind of KINDS) {
        const runs = bursts.get(`${qos} ${kind}`) ?? [];
        const steady = await feed(setup, kind, qos, PACED, true);
        rows.push([
          kind,
          qos,
          MESSAGES,
          Math.round(median(runs.map((r) => r.throughput))),
          median(runs.map((r) => r.cpuMicros)).toFixed(1),
          median(runs.map((r) => r.subscriberMicros)).toFixed(1),
          steady.p50.toFixed(2),
          steady.p99.toFixed(2),
          median(runs.map((r) => r.p99)).toFixed(0),
        ]);
      }
    }
    for (const online of WRITE_SECONDS > 0 ? [true, false] : []) {
      if (!online) {
        subscriber.kill();
        await broker.kill();
      }
      for (const perSecond of [10, 1000]) {
        const w = await diskWrites(setup, perSecond, online);
        writeRows.push([
          online ? 'broker up' : 'broker down',
          perSecond,
          w.readings,
          w.bytes,
          (w.bytes / w.readings).toFixed(1),
          (w.syncs / w.seconds).toFixed(1),
        ]);
      }
    }
  } finally {
    subscriber.kill();
    bridge.kill();
    await nodeRed.stop();
    await broker.stop();
    fs.rmSync(userDir, { recursive: true, force: true });
  }
  return [
    {
      title:
        'Publishing readings through Node-RED into mosquitto over TLS (wss: over WebSockets over TLS, through a bridge process), MQTT 5',
      columns: [
        'node, outbox',
        'QoS',
        'messages',
        'messages/s',
        'CPU µs/message',
        'subscriber CPU µs/message',
        'p50 ms, steady',
        'p99 ms, steady',
        'p99 ms, bursts',
      ],
      rows,
      note:
        `messages/s: ${MESSAGES} readings fed in bursts of ${BURST}, until a subscriber (another process) has every one, median of ${ROUNDS} runs interleaved across the rows after one unmeasured pass; CPU µs/message: ` +
        "the Node-RED process's CPU time over the same run, per message (steadier than messages/s on a shared machine). " +
        `Latency, from the node receiving a reading to the subscriber receiving it: "steady" is ${PACED} readings one per millisecond, "bursts" the ` +
        'throughput run, where readings wait their turn. At QoS 1 flespi-mqtts-out completes each message only on its ' +
        'PUBACK and keeps messages while offline (on disk or in memory); the core node drops messages that arrive while it is disconnected. ' +
        'The wss rows reach mosquitto through ws-bridge-process.ts (its own process), whose relaying adds to their latency, not to their CPU µs/message.',
    },
    {
      title: 'Disk writes of the durable outbox',
      columns: ['broker', 'readings/s', 'readings', 'bytes written', 'bytes/reading', 'syncs/s'],
      rows: writeRows,
      note:
        `${WRITE_SECONDS} s at each rate, QoS 1. A reading the broker confirms before its group commit (every 100 ms) is never ` +
        'written; during an outage every reading is written once, in one write and one fdatasync per commit.',
    },
  ];
}
