/**
 * The memory a deployed flespi-mqtts-out node keeps per waiting message, measured in a process of its own
 * (a fresh heap, Node-RED embedded once): the broker is down, BENCH_MESSAGES readings go in as messages
 * carrying BENCH_RAW_BYTES of unrelated text in `msg.raw`, and once all of them wait in the offline buffer
 * the heap and Buffer memory after a full collection are compared with the same figures before. Reports
 * one JSON line to its parent.
 */
import * as fs from 'fs';
import * as os from 'os';
import * as path from 'path';
import type { Node } from 'node-red';
import type { FlespiBrokerNode } from '../nodes/flespi-broker/broker-api';
import { startEmbeddedNodeRed } from '../src/demo/embedded-node-red';
import { freePort } from '../test/support/free-port';
import { waitUntil } from '../test/support/wait';

const MESSAGES = Number(process.env.BENCH_MESSAGES ?? 20_000);
const RAW_BYTES = Number(process.env.BENCH_RAW_BYTES ?? 2048);
const BUFFER = process.env.BENCH_BUFFER === 'disk' ? 'disk' : 'memory';

export interface OfflineNodeMemory {
  waiting: number;
  /** The encoded PUBLISH packets, as the buffer's byte bound counts them. */
  packetBytes: number;
  heapBytes: number;
  bufferBytes: number;
}

function usedMemory(): { heap: number; buffers: number } {
  global.gc?.();
  global.gc?.();
  const usage = process.memoryUsage();
  return { heap: usage.heapUsed, buffers: usage.arrayBuffers };
}

/** Text of its own (not a rope sharing parts with others, as String.prototype.repeat builds), RAW_BYTES long. */
function rawText(seq: number): string {
  const bytes = Buffer.alloc(RAW_BYTES, 'raw line ');
  bytes.write(String(seq));
  return bytes.toString('latin1');
}

/** What a flow typically hands the node: a reading, the fields core nodes add, and the raw text it came from. */
function message(seq: number): Record<string, unknown> {
  const ident = `28-0316a279${(seq % 4096).toString(16).padStart(4, '0')}`;
  return {
    payload: { ident, timestamp: 1764000000 + seq, temperature: 21.4375 + (seq % 16) / 16, resolution: 12, power: 'external' },
    topic: `sensors/${ident}/temperature`,
    sensor: ident,
    raw: rawText(seq),
  };
}

async function measure(): Promise<OfflineNodeMemory> {
  if (!global.gc) throw new Error('run with node --expose-gc');
  const userDir = fs.mkdtempSync(path.join(os.tmpdir(), 'bench-offline-node-'));
  const nodeRed = await startEmbeddedNodeRed({ userDir, port: 0, logLevel: 'fatal' });
  try {
    const down = await freePort(); // nothing listens: the broker is "down"
    await nodeRed.deploy([
      { id: 'tab', type: 'tab' },
      {
        id: 'broker',
        type: 'flespi-broker',
        host: '127.0.0.1',
        port: down,
        transport: 'tls',
        protocolVersion: 5,
        keepalive: 60,
        pin: '',
        bufferMessages: MESSAGES * 2,
        bufferMegabytes: 1024,
        buffer: BUFFER,
        credentials: { token: 'T'.repeat(64) },
      },
      {
        id: 'out',
        type: 'flespi-mqtts-out',
        z: 'tab',
        x: 100,
        y: 100,
        broker: 'broker',
        topic: '',
        qos: 1,
        retain: false,
        outputs: 0,
        wires: [],
      },
    ]);
    await waitUntil(() => nodeRed.nodes.getNode('out') !== null, 10_000, 'the flow to start');
    const out = nodeRed.nodes.getNode('out') as { receive(msg: object): void };
    const probe = { id: 'bench-probe' } as Node;
    const connection = (nodeRed.nodes.getNode('broker') as FlespiBrokerNode).acquire(probe);
    // One message first, so that what the first message alone sets up is not counted per message.
    out.receive(message(-1));
    await waitUntil(() => connection.waiting === 1, 10_000, 'the first message to wait');
    const before = usedMemory();
    for (let seq = 0; seq < MESSAGES; seq += 1) {
      out.receive(message(seq));
      if (seq % 1000 === 999) await new Promise((resolve) => setImmediate(resolve));
    }
    await waitUntil(() => connection.waiting === MESSAGES + 1, 60_000, `all ${MESSAGES} messages to wait`);
    // On disk, the records of the last commit interval may still be on their way to the file: what a
    // waiting message costs is counted once they are written, as it stays while the broker is down.
    await connection.publishQueue.flush();
    const after = usedMemory();
    const result = {
      waiting: MESSAGES,
      packetBytes: connection.publishQueue.waitingBytes / connection.waiting,
      heapBytes: (after.heap - before.heap) / MESSAGES,
      bufferBytes: (after.buffers - before.buffers) / MESSAGES,
    };
    await (nodeRed.nodes.getNode('broker') as FlespiBrokerNode).release(probe);
    return result;
  } finally {
    await nodeRed.deploy([]).catch(() => undefined);
    await nodeRed.stop();
    fs.rmSync(userDir, { recursive: true, force: true });
  }
}

measure().then(
  (result) => {
    process.stdout.write(`${JSON.stringify(result)}\n`);
    process.exit(0);
  },
  (error: Error) => {
    process.stderr.write(`${error.stack ?? error.message}\n`);
    process.exit(1);
  },
);
