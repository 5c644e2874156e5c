// The durable outbox with real processes and real files: Node-RED in a child process,
// mosquitto with the token plugin recording every PUBLISH it accepts, and the store under
// the Node-RED user directory. The broker is down while readings go in: an internet outage.
import { strict as assert } from 'assert';
import * as fs from 'fs';
import { waitUntil } from '../../support/wait';
import { Mosquitto, startMosquitto } from '../../support/mosquitto';
import { testPki, TestPki } from '../../support/pki';
import { createUserDir, NodeRedProcess, startNodeRed } from '../../e2e/support/node-red-process';
import { listSegments, segmentPath } from '../../../src/flespi/store/segments';
import { BrokerTarget, checkArrivals, deploy, feed, outboxFlow, peekStore, readingsOn, storeDirectory } from './outbox-process';

const TOKEN = 'D'.repeat(64);
/** The most messages sent ahead of their PUBACK: the bound on duplicates after a crash. */
const IN_FLIGHT_WINDOW = 1000;

describe('flespi-broker durable outbox (Node-RED process, mosquitto, files)', function () {
  this.timeout(240_000);
  let pki: TestPki;
  const brokers: Mosquitto[] = [];
  const processes: NodeRedProcess[] = [];
  const userDirs: string[] = [];

  /** A mosquitto recording what it accepts, already stopped: the outage. */
  async function downBroker(): Promise<Mosquitto> {
    const broker = await startMosquitto({ server: pki.server, token: TOKEN, recordMessages: true });
    brokers.push(broker);
    await broker.kill();
    return broker;
  }

  async function nodeRedIn(userDir: string): Promise<NodeRedProcess> {
    const nodeRed = await startNodeRed({ userDir });
    processes.push(nodeRed);
    return nodeRed;
  }

  function freshUserDir(): string {
    const dir = createUserDir();
    userDirs.push(dir);
    return dir;
  }

  async function crash(nodeRed: NodeRedProcess): Promise<void> {
    process.kill(nodeRed.pid, 'SIGKILL');
    await nodeRed.stop();
  }

  /** Node-RED in a fresh user directory, with the feeding flow deployed for one broker config `b1` on `port`. */
  async function flowTo(port: number): Promise<{ nodeRed: NodeRedProcess; target: BrokerTarget; userDir: string }> {
    const userDir = freshUserDir();
    const nodeRed = await nodeRedIn(userDir);
    const target: BrokerTarget = { id: 'b1', port, feed: '/feed' };
    await deploy(nodeRed, outboxFlow([target], TOKEN, pki.ca.cert));
    return { nodeRed, target, userDir };
  }

  const stored = (nodeRed: NodeRedProcess, id: string) => peekStore(storeDirectory(nodeRed.userDir, id)).length;

  before(async () => {
    pki = await testPki();
  });

  afterEach(async () => {
    for (const nodeRed of processes.splice(0)) await nodeRed.stop();
    for (const broker of brokers.splice(0)) await broker.stop();
    for (const dir of userDirs.splice(0)) fs.rmSync(dir, { recursive: true, force: true });
  });

  it('crash during an outage: 10,000 readings in, SIGKILL, restart, broker back: all arrive in order', async () => {
    const broker = await downBroker();
    const started = await flowTo(broker.port);
    const { target, userDir } = started;
    let nodeRed = started.nodeRed;
    for (let from = 0; from < 10_000; from += 1000) await feed(nodeRed, target, from, 1000);
    await waitUntil(() => stored(nodeRed, 'b1') === 10_000, 10_000, 'all 10,000 readings on disk');
    await crash(nodeRed);

    nodeRed = await nodeRedIn(userDir);
    await waitUntil(() => nodeRed.log().includes('10000 message(s) not yet confirmed were read back'), 10_000, 'the recovery log line');
    await broker.start();
    // The reconnect back-off, grown while the broker was down, can reach a minute before the next try.
    await waitUntil(
      () => new Set(readingsOn(broker.accepted(), 'outbox/b1')).size === 10_000,
      120_000,
      'all 10,000 readings at the broker',
    ).catch((error: Error) => {
      throw new Error(
        `${error.message}: ${new Set(readingsOn(broker.accepted(), 'outbox/b1')).size} arrived\n${nodeRed.log().slice(-2000)}`,
      );
    });
    const { duplicates, missing } = checkArrivals(readingsOn(broker.accepted(), 'outbox/b1'), 10_000);
    assert.deepEqual(missing, []);
    assert.ok(duplicates <= IN_FLIGHT_WINDOW, `${duplicates} duplicates`);
    await waitUntil(() => listSegments(storeDirectory(userDir, 'b1')).length === 0, 10_000, 'the confirmed segments to be deleted');
  });

  it('redeploys during an outage (an unrelated node, the whole flow, the broker port) lose nothing', async () => {
    const first = await downBroker();
    const second = await downBroker();
    const { nodeRed, target } = await flowTo(first.port);
    await feed(nodeRed, target, 0, 1000);
    await deploy(nodeRed, outboxFlow([target], TOKEN, pki.ca.cert, 'renamed comment'), 'nodes');
    await feed(nodeRed, target, 1000, 1000);
    await deploy(nodeRed, outboxFlow([target], TOKEN, pki.ca.cert, 'renamed comment'), 'full');
    await feed(nodeRed, target, 2000, 1000);
    const moved = { ...target, port: second.port };
    await deploy(nodeRed, outboxFlow([moved], TOKEN, pki.ca.cert, 'renamed comment'), 'nodes');
    await feed(nodeRed, moved, 3000, 1000);
    assert.doesNotMatch(nodeRed.log(), /closed before the broker confirmed/);

    await second.start();
    await waitUntil(
      () => new Set(readingsOn(second.accepted(), 'outbox/b1')).size === 4000,
      30_000,
      'all 4,000 readings at the new broker',
    ).catch((error: Error) => {
      const got = readingsOn(second.accepted(), 'outbox/b1');
      throw new Error(`${error.message}: ${got.length} arrived, first ${got[0]}, last ${got.at(-1)}\n${nodeRed.log().slice(-3000)}`);
    });
    const { duplicates, missing } = checkArrivals(readingsOn(second.accepted(), 'outbox/b1'), 4000);
    assert.deepEqual(missing, []);
    assert.equal(duplicates, 0, 'nothing had been sent, so nothing is sent twice');
    assert.deepEqual(readingsOn(first.accepted(), 'outbox/b1'), [], 'the old port never came back');
  });

  it('a refused token keeps the readings on disk, and the deploy with the right token sends them all', async () => {
    const broker = await startMosquitto({ server: pki.server, token: TOKEN, recordMessages: true });
    brokers.push(broker);
    const nodeRed = await nodeRedIn(freshUserDir());
    const target: BrokerTarget = { id: 'b1', port: broker.port, feed: '/feed' };
    await deploy(nodeRed, outboxFlow([target], 'E'.repeat(64), pki.ca.cert));
    await feed(nodeRed, target, 0, 500);
    await waitUntil(() => stored(nodeRed, 'b1') === 500 && broker.refusedConnects() > 0, 10_000, 'the refusal and the readings on disk');
    await deploy(nodeRed, outboxFlow([target], TOKEN, pki.ca.cert));
    await waitUntil(() => new Set(readingsOn(broker.accepted(), 'outbox/b1')).size === 500, 30_000, 'all 500 readings at the broker');
    const { duplicates, missing } = checkArrivals(readingsOn(broker.accepted(), 'outbox/b1'), 500);
    assert.deepEqual(missing, []);
    assert.equal(duplicates, 0);
    assert.doesNotMatch(nodeRed.log(), /Error: not authorized/, 'no reading failed');
  });

  it('deleting the broker config discards its store with one log line naming the count', async () => {
    const broker = await downBroker();
    const { nodeRed, target } = await flowTo(broker.port);
    await feed(nodeRed, target, 0, 25);
    await waitUntil(() => stored(nodeRed, 'b1') === 25, 5000, 'the readings on disk');
    await deploy(nodeRed, [{ id: 'tab', type: 'tab' }]);
    await waitUntil(() => /offline buffer went with it \(25 message\(s\)\)/.test(nodeRed.log()), 10_000, 'the discard log line');
    assert.doesNotMatch(nodeRed.log(), /\[error\]/, 'one line, not one per message');
    assert.equal(fs.existsSync(storeDirectory(nodeRed.userDir, 'b1')), false);
  });

  for (const damage of ['torn tail', 'corrupt record'] as const) {
    it(`${damage}: the whole records are sent, the damage reported`, async () => {
      const broker = await downBroker();
      const started = await flowTo(broker.port);
      const { target, userDir } = started;
      let nodeRed = started.nodeRed;
      await feed(nodeRed, target, 0, 100);
      await waitUntil(() => stored(nodeRed, 'b1') === 100, 5000, 'the readings on disk');
      await crash(nodeRed);

      const directory = storeDirectory(userDir, 'b1');
      const segments = listSegments(directory);
      const file = segmentPath(directory, segments[segments.length - 1]);
      const size = fs.statSync(file).size;
      const recordBytes = Math.floor(size / 100);
      if (damage === 'torn tail') {
        fs.truncateSync(file, size - Math.floor(recordBytes / 2));
      } else {
        const data = fs.readFileSync(file);
        data[Math.floor(size / 2)] ^= 0x55;
        fs.writeFileSync(file, data);
      }

      nodeRed = await nodeRedIn(userDir);
      await broker.start();
      await waitUntil(() => new Set(readingsOn(broker.accepted(), 'outbox/b1')).size === 99, 30_000, '99 readings at the broker');
      const { missing } = checkArrivals(readingsOn(broker.accepted(), 'outbox/b1'), 100);
      assert.equal(missing.length, 1);
      if (damage === 'torn tail') {
        assert.deepEqual(missing, [99], 'only the torn last record is lost');
        assert.match(nodeRed.log(), /ended in an incomplete record .*cut off/);
      } else {
        assert.ok(missing[0] > 0 && missing[0] < 99, `the damaged record was in the middle: ${missing[0]}`);
        assert.match(nodeRed.log(), /1 damaged record\(s\) .* skipped/);
      }
    });
  }

  it('an unusable store directory: the outbox falls back to memory with one log line and still delivers', async () => {
    const broker = await downBroker();
    const userDir = freshUserDir();
    fs.mkdirSync(storeDirectory(userDir, 'b1').replace(/b1$/, ''), { recursive: true });
    fs.writeFileSync(storeDirectory(userDir, 'b1'), 'not a directory');
    const nodeRed = await nodeRedIn(userDir);
    const target: BrokerTarget = { id: 'b1', port: broker.port, feed: '/feed' };
    await deploy(nodeRed, outboxFlow([target], TOKEN, pki.ca.cert));
    await feed(nodeRed, target, 0, 50);
    await broker.start();
    await waitUntil(() => new Set(readingsOn(broker.accepted(), 'outbox/b1')).size === 50, 30_000, 'the readings at the broker');
    assert.equal(nodeRed.log().match(/cannot be written to disk \(E[A-Z]+/g)?.length, 1, nodeRed.log());
  });

  it('two broker configs keep separate stores', async () => {
    const [one, two] = [await downBroker(), await downBroker()];
    const nodeRed = await nodeRedIn(freshUserDir());
    const targets: BrokerTarget[] = [
      { id: 'b1', port: one.port, feed: '/feed1' },
      { id: 'b2', port: two.port, feed: '/feed2' },
    ];
    await deploy(nodeRed, outboxFlow(targets, TOKEN, pki.ca.cert));
    await feed(nodeRed, targets[0], 0, 30);
    await feed(nodeRed, targets[1], 0, 70);
    await waitUntil(() => stored(nodeRed, 'b1') === 30 && stored(nodeRed, 'b2') === 70, 5000, 'each store to hold its own readings');
    assert.ok(peekStore(storeDirectory(nodeRed.userDir, 'b1')).every((m) => m.topic === 'outbox/b1'));
    assert.ok(peekStore(storeDirectory(nodeRed.userDir, 'b2')).every((m) => m.topic === 'outbox/b2'));
    await two.start();
    await waitUntil(() => readingsOn(two.accepted(), 'outbox/b2').length >= 70, 30_000, 'the second broker to get its readings');
    await waitUntil(() => stored(nodeRed, 'b2') === 0, 5000, 'the second store to empty');
    assert.equal(stored(nodeRed, 'b1'), 30, 'the first store keeps its readings while its broker is down');
    assert.deepEqual(readingsOn(two.accepted(), 'outbox/b1'), []);
  });

  it('restarted with a smaller buffer than the store holds: one log line, the newest that fit go out, the config works', async () => {
    const broker = await downBroker();
    const userDir = freshUserDir();
    const target: BrokerTarget = { id: 'b1', port: broker.port, feed: '/feed' };
    let nodeRed = await nodeRedIn(userDir);
    await deploy(nodeRed, outboxFlow([target], TOKEN, pki.ca.cert));
    await feed(nodeRed, target, 0, 300);
    await waitUntil(() => peekStore(storeDirectory(userDir, 'b1')).length === 300, 10_000, 'the readings on disk');
    const smaller = outboxFlow([target], TOKEN, pki.ca.cert).map((node) =>
      node.type === 'flespi-broker' ? { ...node, bufferMessages: 100 } : node,
    );
    await deploy(nodeRed, smaller);
    await nodeRed.stop();

    nodeRed = await nodeRedIn(userDir);
    await waitUntil(() => nodeRed.log().includes('200 message(s) read back from disk no longer fit'), 10_000, 'the one log line');
    await feed(nodeRed, target, 300, 10);
    await broker.start();
    await waitUntil(() => new Set(readingsOn(broker.accepted(), 'outbox/b1')).size === 100, 60_000, 'the 100 readings the buffer holds');
    const arrived = readingsOn(broker.accepted(), 'outbox/b1');
    assert.deepEqual(
      [...new Set(arrived)],
      Array.from({ length: 100 }, (_, i) => 210 + i),
      'the newest 100, in order',
    );
    assert.doesNotMatch(nodeRed.log(), /offline buffer holds|\[error\]/);
  });

  it('a second Node-RED on the same user directory keeps its messages in memory, with a warning, and leaves the store alone', async () => {
    const broker = await downBroker();
    const userDir = freshUserDir();
    const target: BrokerTarget = { id: 'b1', port: broker.port, feed: '/feed' };
    const first = await nodeRedIn(userDir);
    await deploy(first, outboxFlow([target], TOKEN, pki.ca.cert));
    await feed(first, target, 0, 50);
    const directory = storeDirectory(userDir, 'b1');
    await waitUntil(() => peekStore(directory).length === 50, 10_000, "the first process's readings on disk");

    const second = await nodeRedIn(userDir); // starts the flow the first one saved
    await waitUntil(() => second.log().includes('is used by another Node-RED'), 20_000, 'the warning of the second process');
    assert.match(second.log(), new RegExp(`in use by process ${first.pid} on `));
    await feed(second, target, 1000, 20);
    await feed(first, target, 50, 10);
    await waitUntil(() => peekStore(directory).length === 60, 10_000, "the first process's later readings on disk");
    assert.ok(
      peekStore(directory).every((message) => (JSON.parse(message.payload.toString()) as { n: number }).n < 1000),
      'nothing of the second process in the store',
    );

    await second.stop();
    await broker.start();
    await waitUntil(() => new Set(readingsOn(broker.accepted(), 'outbox/b1')).size === 60, 60_000, "the first process's 60 readings");
    const { duplicates, missing } = checkArrivals(
      readingsOn(broker.accepted(), 'outbox/b1').filter((n) => n < 1000),
      60,
    );
    assert.deepEqual(missing, []);
    assert.equal(duplicates, 0, 'the store was sent by one process only');
  });
});
