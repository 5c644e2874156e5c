/**
 * Publishing readings through Node-RED into one local TLS broker: this package's
 * flespi-mqtts-out against Node-RED's core `mqtt out` node, in the same run, at QoS 1
 * and QoS 0. Throughput counts until the broker has every message; latency is from the
 * node receiving a message to the broker receiving it.
 */
import * as fs from 'fs';
import * as os from 'os';
import * as path from 'path';
import { performance } from 'perf_hooks';
import { EmbeddedNodeRed, startEmbeddedNodeRed } from '../src/demo/embedded-node-red';
import { createCertificateAuthority, createServerCertificate, KeyPair } from '../src/demo/local-pki';
import { startTlsBroker } from '../src/demo/tls-broker';
import { waitUntil } from '../test/support/wait';
import { BenchTable, percentile } from './table';


const MESSAGES = Number(process.env.BENCH_MESSAGES ?? 100_000);
const BURST = 500;
const PACED = Number(process.env.BENCH_PACED ?? 5000);
const TOKEN = 'B'.repeat(64);

type Kind = 'flespi-mqtts-out' | 'core mqtt out';

/** The flow under test, credentials inline as a deploy through the admin API takes them. */
function flowFor(kind: Kind, port: number, qos: 0 | 1, ca: string) {
  const at = { z: 'tab', x: 100, y: 100 };
  if (kind === 'flespi-mqtts-out') {
    return [
      { id: 'tab', type: 'tab' },
      { id: 'broker', type: 'flespi-broker', host: 'localhost', port, protocolVersion: 4, keepalive: 60, pin: '', bufferMessages: MESSAGES * 2, bufferMegabytes: 256,
        credentials: { token: TOKEN, ca } },
      { id: 'out', type: 'flespi-mqtts-out', ...at, broker: 'broker', topic: 'bench/{{ident}}', qos, retain: false, outputs: 0, wires: [] },
    ];
  }
  return [
    { id: 'tab', type: 'tab' },
    { id: 'tls', type: 'tls-config', cert: '', key: '', ca: '', verifyservercert: true, servername: '', credentials: { cadata: ca } },
    { id: 'broker', type: 'mqtt-broker', broker: 'localhost', port, usetls: true, tls: 'tls', clientid: '', autoConnect: true, protocolVersion: 4, keepalive: 60, cleansession: true,
      credentials: { user: `FlespiToken ${TOKEN}`, password: '' } },
    { id: 'out', type: 'mqtt out', ...at, broker: 'broker', topic: 'bench/core', qos: String(qos), retain: 'false', wires: [] },
  ];
}

interface Run {
  throughput: number;
  p50: number;
  p99: number;
}

/**
 * Feeds `count` readings to the node: in bursts of 500 per event-loop turn for
 * throughput, or one every millisecond (`paced`) for the latency of a steady stream.
 */
async function feed(nodeRed: EmbeddedNodeRed, kind: Kind, qos: 0 | 1, count: number, paced: boolean, ca: string, server: KeyPair): Promise<Run> {
  const broker = await startTlsBroker({ server, token: TOKEN, record: false });
  const sentAt = new Float64Array(count);
  const arrivedAt = new Float64Array(count);
  let arrived = 0;
  broker.on('message', (message) => {
    const seq = (JSON.parse(message.payload.toString()) as { seq: number }).seq;
    if (arrivedAt[seq] === 0) arrived += 1;
    arrivedAt[seq] = performance.now();
  });
  await nodeRed.deploy(flowFor(kind, broker.port, qos, ca));
  await waitUntil(() => broker.connectedClients === 1, 10_000);
  await new Promise((resolve) => setTimeout(resolve, 200));

  const out = nodeRed.nodes.getNode('out') as { receive(msg: object): void };
  const started = performance.now();
  for (let seq = 0; seq < count; seq += 1) {
    sentAt[seq] = performance.now();
    out.receive({ payload: { ident: '28-0316a27950ff', timestamp: Date.now() / 1000, temperature: 21.5, seq } });
    if (paced) await new Promise((resolve) => setTimeout(resolve, 1));
    else if (seq % BURST === BURST - 1) await new Promise((resolve) => setImmediate(resolve));
  }
  await waitUntil(() => arrived === count, 300_000);
  const seconds = (arrivedAt.reduce((a, b) => Math.max(a, b), 0) - started) / 1000;
  const latencies = Float64Array.from(arrivedAt, (at, seq) => at - sentAt[seq]).sort();
  await nodeRed.deploy([]);
  await broker.close();
  return { throughput: count / seconds, p50: percentile(latencies, 0.5), p99: percentile(latencies, 0.99) };
}

export async function publishBench(): Promise<BenchTable[]> {
  const userDir = fs.mkdtempSync(path.join(os.tmpdir(), 'bench-node-red-'));
  const nodeRed = await startEmbeddedNodeRed({ userDir, port: 0, logLevel: 'warn' });
  const ca = await createCertificateAuthority('bench CA');
  const server = await createServerCertificate(ca);
  const rows: Array<Array<string | number>> = [];
  try {
    for (const qos of [1, 0] as const) {
      for (const kind of ['flespi-mqtts-out', 'core mqtt out'] as const) {
        const burst = await feed(nodeRed, kind, qos, MESSAGES, false, ca.cert, server);
        const steady = await feed(nodeRed, kind, qos, PACED, true, ca.cert, server);
        rows.push([kind, qos, MESSAGES, Math.round(burst.throughput), steady.p50.toFixed(2), steady.p99.toFixed(2), burst.p99.toFixed(0)]);
      }
    }
  } finally {
    await nodeRed.stop();
    fs.rmSync(userDir, { recursive: true, force: true });
  }
  return [{
    title: 'Publishing readings through Node-RED into a local TLS broker (aedes, MQTT 3.1.1)',
    columns: ['node', 'QoS', 'messages', 'messages/s', `p50 ms, steady`, `p99 ms, steady`, 'p99 ms, bursts'],
    rows,
    note: `messages/s: ${MESSAGES} readings fed in bursts of ${BURST}, until the broker has every one. Latency, from the node `
      + `receiving a reading to the broker receiving it: "steady" is ${PACED} readings one per millisecond, "bursts" the `
      + 'throughput run, where readings wait their turn. At QoS 1 flespi-mqtts-out completes each message only on its '
      + 'PUBACK and keeps messages while offline; the core node drops messages that arrive while it is disconnected.',
  }];
}
