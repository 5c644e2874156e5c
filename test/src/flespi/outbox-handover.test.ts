import { strict as assert } from 'assert';
import * as fs from 'fs';
import * as os from 'os';
import * as path from 'path';
import { FlespiConnection } from '../../../src/flespi/connection';
import { OutboxHandover } from '../../../src/flespi/outbox-handover';
import { testBrokerSettings } from '../../support/broker-settings';
import { freePort } from '../../support/free-port';
import { Mosquitto, startMosquitto } from '../../support/mosquitto';
import { testPki, TestPki } from '../../support/pki';
import { subscribe } from '../../support/subscriber';
import { waitUntil } from '../../support/wait';

const TOKEN = 'H'.repeat(64);
const request = (n: number) => ({ topic: 'handover/a', payload: Buffer.from(String(n)), qos: 1 as const, retain: false });

describe('flespi outbox hand-over between deploys', function () {
  this.timeout(30_000);
  let pki: TestPki;
  let directory: string;
  let broker: Mosquitto | undefined;

  before(async () => {
    pki = await testPki();
  });
  beforeEach(() => {
    directory = fs.mkdtempSync(path.join(os.tmpdir(), 'handover-'));
  });
  afterEach(async () => {
    await broker?.stop();
    broker = undefined;
    fs.rmSync(directory, { recursive: true, force: true });
  });

  it('a detached connection leaves its messages unanswered in the queue, and the next connection, to another port, sends them', async () => {
    const handover = new OutboxHandover();
    const deadPort = await freePort();
    const queue = handover.take('b1', { directory });
    const first = new FlespiConnection(testBrokerSettings(deadPort, pki, `FlespiToken ${TOKEN}`), queue);
    const answers: Array<Error | undefined> = [];
    for (let n = 0; n < 5; n += 1) first.enqueue(request(n), (error) => answers.push(error));
    await waitUntil(() => first.state.kind === 'disconnected', 5000, 'the first connection to fail');
    await first.detach();
    assert.deepEqual(answers, [], 'nobody was told anything');
    handover.park('b1', queue);

    broker = await startMosquitto({ server: pki.server, token: TOKEN });
    const subscriber = await subscribe({ port: broker.port, ca: pki.ca.cert, token: TOKEN, topic: 'handover/#' });
    const taken = handover.take('b1', { directory });
    assert.equal(taken, queue, 'the same queue, disk to disk');
    const second = new FlespiConnection(testBrokerSettings(broker.port, pki, `FlespiToken ${TOKEN}`), taken);
    second.start();
    const got = await subscriber.waitFor(5);
    assert.deepEqual(
      got.map((m) => m.payload),
      ['0', '1', '2', '3', '4'],
    );
    await waitUntil(() => answers.length === 5, 5000, 'the first callers to hear back');
    assert.deepEqual(answers, [undefined, undefined, undefined, undefined, undefined]);
    await second.close();
    await subscriber.close();
    await taken.close();
  });

  it('a change between disk and memory moves the messages, in order, with their callers, and deletes the store', async () => {
    const handover = new OutboxHandover();
    const onDisk = handover.take('b1', { directory });
    const answers: Array<[Error | undefined, string | undefined, string | undefined]> = [];
    for (let n = 0; n < 3; n += 1)
      onDisk.accept(request(n), 30, (error, message) => answers.push([error, message?.tag, message?.topic]), `tag-${n}`);
    await onDisk.flush();
    handover.park('b1', onDisk);

    const inMemory = handover.take('b1', {});
    assert.notEqual(inMemory, onDisk);
    assert.equal(inMemory.storage.kind, 'memory');
    const moved = [inMemory.next(), inMemory.next(), inMemory.next()];
    assert.deepEqual(
      moved.map((p) => p?.payload.toString()),
      ['0', '1', '2'],
    );
    moved[0]?.done();
    assert.deepEqual(answers, [[undefined, 'tag-0', request(0).topic]], 'the caller hears with its tag and the topic');
    await waitUntil(() => !fs.existsSync(directory), 5000, 'the store to be deleted');
  });

  it('a config never seen gets a new queue', () => {
    const handover = new OutboxHandover();
    const queue = handover.take('new', {});
    assert.equal(queue.length, 0);
    assert.notEqual(handover.take('new', {}), queue, 'taking does not keep it');
  });
});
