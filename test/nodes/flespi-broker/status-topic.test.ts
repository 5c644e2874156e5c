// The broker config's status topic with real processes: Node-RED in a child process, mosquitto with
// the flespi-style token plugin, and an MQTT 5 subscriber watching the topic.
import { strict as assert } from 'assert';
import { Mosquitto, startMosquitto } from '../../support/mosquitto';
import { testPki, TestPki } from '../../support/pki';
import { subscribe, Subscriber } from '../../support/subscriber';
import { NodeRedProcess, startNodeRed } from '../../e2e/support/node-red-process';
import { FlowNode } from '../../e2e/support/admin-api';
import { waitUntil, waitUntilSteady } from '../../support/wait';
import { deploy } from './outbox-process';

const TOKEN = 'S'.repeat(64);
const STATUS = 'nodered/kitchen/status';
const KEEPALIVE_SECONDS = 4;

/** A broker config with an out node using it (so that it connects) and an inject that publishes one reading. */
function statusFlow(port: number, ca: string, statusTopic: string, comment = 'status'): FlowNode[] {
  return [
    { id: 'tab', type: 'tab', label: 'status' },
    { id: 'note', type: 'comment', z: 'tab', name: comment, x: 100, y: 20, wires: [] },
    {
      id: 'b1',
      type: 'flespi-broker',
      host: 'localhost',
      port,
      protocolVersion: 5,
      clientId: 'status-b1',
      keepalive: KEEPALIVE_SECONDS,
      pin: '',
      bufferMessages: 1000,
      bufferMegabytes: 16,
      buffer: 'memory',
      statusTopic,
      credentials: { token: TOKEN, ca },
    },
    {
      id: 'tick',
      type: 'inject',
      z: 'tab',
      once: true,
      onceDelay: 0.1,
      payload: '{"ident":"28-1","temperature":21.5}',
      payloadType: 'json',
      x: 100,
      y: 100,
      wires: [['out']],
    },
    {
      id: 'out',
      type: 'flespi-mqtts-out',
      z: 'tab',
      broker: 'b1',
      topic: 'readings/{{ident}}',
      qos: 1,
      retain: false,
      outputs: 0,
      x: 300,
      y: 100,
      wires: [],
    },
  ];
}

describe('flespi-broker status topic (Node-RED process, mosquitto)', function () {
  this.timeout(120_000);
  let pki: TestPki;
  let broker: Mosquitto | undefined;
  let nodeRed: NodeRedProcess | undefined;
  const subscribers: Subscriber[] = [];

  async function watch(topic = STATUS): Promise<Subscriber> {
    const subscriber = await subscribe({ port: broker!.port, ca: pki.ca.cert, token: TOKEN, topic });
    subscribers.push(subscriber);
    return subscriber;
  }

  const payloads = (subscriber: Subscriber) => subscriber.messages.map((m) => `${m.topic} ${m.payload}${m.retain ? ' (retained)' : ''}`);

  before(async () => {
    pki = await testPki();
  });

  beforeEach(async () => {
    broker = await startMosquitto({ server: pki.server, token: TOKEN });
    nodeRed = await startNodeRed();
  });

  afterEach(async () => {
    for (const subscriber of subscribers.splice(0)) await subscriber.close();
    await nodeRed?.stop();
    nodeRed = undefined;
    await broker?.stop();
    broker = undefined;
  });

  it('publishes a retained online on connect, and the will offline when Node-RED is killed, within keepalive × 1.5', async () => {
    await deploy(nodeRed!, statusFlow(broker!.port, pki.ca.cert, STATUS));
    await waitUntil(() => nodeRed!.log().includes('connected to localhost'), 10_000, 'the connection');
    // A subscriber that comes later gets the retained status: the server is online.
    const late = await watch();
    await late.waitFor(1);
    assert.deepEqual(payloads(late), [`${STATUS} online (retained)`]);

    process.kill(nodeRed!.pid, 'SIGKILL');
    const killedAt = Date.now();
    await late.waitFor(2, KEEPALIVE_SECONDS * 1500 + 500);
    const after = Date.now() - killedAt;
    assert.deepEqual(payloads(late), [`${STATUS} online (retained)`, `${STATUS} offline`]);
    assert.ok(after <= KEEPALIVE_SECONDS * 1500 + 500, `the will came ${after} ms after the kill`);
    // And it stays: the next subscriber sees offline.
    const next = await watch();
    await next.waitFor(1);
    assert.deepEqual(payloads(next), [`${STATUS} offline (retained)`]);
  });

  it('publishes offline before a redeploy closes the connection, then online again', async () => {
    await deploy(nodeRed!, statusFlow(broker!.port, pki.ca.cert, STATUS));
    const watcher = await watch();
    await watcher.waitFor(1);
    await deploy(nodeRed!, statusFlow(broker!.port, pki.ca.cert, STATUS, 'changed'), 'full');
    await watcher.waitFor(3);
    // The first online arrives retained or live, as the subscription and the connection race.
    assert.deepEqual(
      watcher.messages.map((m) => m.payload),
      ['online', 'offline', 'online'],
    );
    // A clean close sends DISCONNECT: the broker drops the will instead of publishing it.
    await waitUntilSteady(() => watcher.messages.length, KEEPALIVE_SECONDS * 1500, 20_000);
    assert.equal(watcher.messages.length, 3);
  });

  it('sends no status message when the status topic is empty', async () => {
    const everything = await watch('#');
    await deploy(nodeRed!, statusFlow(broker!.port, pki.ca.cert, ''));
    await everything.waitFor(1);
    await deploy(nodeRed!, statusFlow(broker!.port, pki.ca.cert, '', 'changed'), 'full');
    await everything.waitFor(2);
    process.kill(nodeRed!.pid, 'SIGKILL');
    await waitUntilSteady(() => everything.messages.length, KEEPALIVE_SECONDS * 1500 + 500, 20_000);
    assert.deepEqual(payloads(everything), [
      'readings/28-1 {"ident":"28-1","temperature":21.5}',
      'readings/28-1 {"ident":"28-1","temperature":21.5}',
    ]);
  });
});
