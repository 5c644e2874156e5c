// A Node-RED process with a flow that feeds numbered readings into flespi-mqtts-out, the
// brokers it publishes to, and a read-only look at the outbox store it keeps on disk.
import * as fs from 'fs';
import * as path from 'path';
import { scanRecords } from '../../../src/flespi/store/framing';
import { decodeRecord, StoredMessage } from '../../../src/flespi/store/record';
import { listSegments, segmentPath, storeDirectory as storeFolder } from '../../../src/flespi/store/segments';
import { FlowNode } from '../../e2e/support/admin-api';
import { NodeRedProcess } from '../../e2e/support/node-red-process';
import { waitUntil } from '../../support/wait';

export type DeploymentType = 'full' | 'nodes' | 'flows';

export interface BrokerTarget {
  id: string;
  port: number;
  /** Feed URL path; readings go to topic `outbox/<id>`. */
  feed: string;
  buffer?: 'disk' | 'memory';
}

/** A tab with, per broker, an http-in endpoint whose function node sends `count` readings `{"n": from…}` to an out node. */
export function outboxFlow(targets: BrokerTarget[], token: string, ca: string, comment = 'readings'): FlowNode[] {
  const nodes: FlowNode[] = [
    { id: 'tab', type: 'tab', label: 'outbox' },
    { id: 'note', type: 'comment', z: 'tab', name: comment, x: 100, y: 20, wires: [] },
  ];
  targets.forEach((target, row) => {
    const y = 100 + row * 100;
    nodes.push(
      {
        id: target.id,
        type: 'flespi-broker',
        host: 'localhost',
        port: target.port,
        protocolVersion: 5,
        clientId: `outbox-${target.id}`,
        keepalive: 30,
        pin: '',
        bufferMessages: 20000,
        bufferMegabytes: 16,
        buffer: target.buffer ?? 'disk',
        credentials: { token, ca },
      },
      { id: `${target.id}-in`, type: 'http in', z: 'tab', url: target.feed, method: 'post', x: 100, y, wires: [[`${target.id}-feed`]] },
      {
        id: `${target.id}-feed`,
        type: 'function',
        z: 'tab',
        outputs: 2,
        x: 300,
        y,
        wires: [[`${target.id}-out`], [`${target.id}-reply`]],
        func:
          'const from = Number(msg.req.query.from); const count = Number(msg.req.query.count);\n' +
          'for (let n = from; n < from + count; n += 1) node.send([{ payload: { n } }, null]);\n' +
          'msg.payload = "fed"; return [null, msg];',
      },
      { id: `${target.id}-reply`, type: 'http response', z: 'tab', x: 500, y: y + 40, wires: [] },
      {
        id: `${target.id}-out`,
        type: 'flespi-mqtts-out',
        z: 'tab',
        broker: target.id,
        topic: `outbox/${target.id}`,
        qos: 1,
        retain: false,
        outputs: 0,
        x: 500,
        y,
        wires: [],
      },
    );
  });
  return nodes;
}

const STARTED = /Started (flows|modified nodes|modified flows)/g;

/**
 * Deploys and waits until the runtime has started what changed: the admin API answers
 * earlier, and a message sent to a node not yet restarted would be lost on the way.
 */
export async function deploy(nodeRed: NodeRedProcess, flow: FlowNode[], type: DeploymentType = 'full'): Promise<void> {
  const starts = () => nodeRed.log().match(STARTED)?.length ?? 0;
  const before = starts();
  const response = await fetch(new URL('flows', nodeRed.baseUrl), {
    method: 'POST',
    headers: { 'Content-Type': 'application/json', 'Node-RED-Deployment-Type': type },
    body: JSON.stringify(flow),
  });
  if (!response.ok) throw new Error(`deploy: HTTP ${response.status} ${await response.text()}`);
  await waitUntil(() => starts() > before, 20_000, `the ${type} deploy to start`);
}

/** Sends readings `from` … `from + count - 1` into the flow; resolves once the out node has accepted them all. */
export async function feed(nodeRed: NodeRedProcess, target: BrokerTarget, from: number, count: number): Promise<void> {
  const url = new URL(`${target.feed.replace(/^\//, '')}?from=${from}&count=${count}`, nodeRed.baseUrl);
  const response = await fetch(url, { method: 'POST' });
  if (!response.ok) throw new Error(`feed: HTTP ${response.status} ${await response.text()}`);
}

/** Where the broker node keeps a config's outbox: `<userDir>/flespi-outbox/<id>`. */
export function storeDirectory(userDir: string, brokerId: string): string {
  return storeFolder(path.join(userDir, 'flespi-outbox'), brokerId);
}

/** The messages in a store as a reader sees them, without touching the files (unlike recovery, which cuts torn tails). */
export function peekStore(directory: string): StoredMessage[] {
  // The store belongs to a running Node-RED, which deletes a segment once all of it is confirmed: one
  // listed a moment ago may be gone when it is read, and the next look sees the store as it is now.
  for (;;) {
    try {
      return peekStoreOnce(directory);
    } catch (err) {
      if ((err as NodeJS.ErrnoException).code !== 'ENOENT') throw err;
    }
  }
}

function peekStoreOnce(directory: string): StoredMessage[] {
  if (!fs.existsSync(directory)) return [];
  const messages: StoredMessage[] = [];
  let confirmed = 0;
  for (const number of listSegments(directory)) {
    for (const body of scanRecords(fs.readFileSync(segmentPath(directory, number))).bodies) {
      const record = decodeRecord(body);
      if (record.kind === 'message') messages.push(record.message);
      else confirmed = Math.max(confirmed, record.through);
    }
  }
  return messages.filter((m) => m.seq > confirmed);
}

/** The readings a topic's lines in the broker's record carry, in arrival order. */
export function readingsOn(accepted: string[], topic: string): number[] {
  return accepted
    .filter((line) => line.startsWith(`${topic} `))
    .map((line) => (JSON.parse(line.slice(topic.length + 1)) as { n: number }).n);
}

/**
 * Checks that every reading 0 … count-1 arrived, first arrivals in order, and returns
 * how many arrived more than once.
 */
export function checkArrivals(readings: number[], count: number): { duplicates: number; missing: number[] } {
  const seen = new Set<number>();
  const firsts: number[] = [];
  for (const n of readings) {
    if (seen.has(n)) continue;
    seen.add(n);
    firsts.push(n);
  }
  const missing = Array.from({ length: count }, (_, n) => n).filter((n) => !seen.has(n));
  firsts.forEach((n, i) => {
    if (i > 0 && n < firsts[i - 1]) throw new Error(`reading ${n} arrived after ${firsts[i - 1]}`);
  });
  return { duplicates: readings.length - seen.size, missing };
}
