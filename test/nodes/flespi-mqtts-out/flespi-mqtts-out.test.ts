import { strict as assert } from 'assert';
import helper from 'node-red-node-test-helper';
import { startTlsBroker, TlsBroker } from '../../../src/demo/tls-broker';
import { freePort } from '../../support/free-port';
import { testPki, TestPki } from '../../support/pki';
import { waitUntil } from '../../support/wait';
import { translatingCatalogs } from '../../support/catalogs';

import brokerNode from '../../../nodes/flespi-broker/flespi-broker';
import outNode from '../../../nodes/flespi-mqtts-out/flespi-mqtts-out';
const catchNode: unknown = require('@node-red/nodes/core/common/25-catch'); // eslint-disable-line @typescript-eslint/no-require-imports -- a Node-RED core node: plain JavaScript, no types

helper.init(require.resolve('node-red'));

const TOKEN = 'N'.repeat(64);

interface Received {
  payload: unknown;
  topic?: string;
  error?: { message: string };
}

describe('flespi-mqtts-out node', function () {
  let pki: TestPki;
  let broker: TlsBroker | undefined;

  before(async () => {
    pki = await testPki();
  });

  beforeEach(() => helper.startServer());

  afterEach(async function () {
    await helper.unload();
    await helper.stopServer();
    await broker?.close();
    broker = undefined;
  });

  // Nodes without x and y are taken for config nodes, so every flow node gets a position.
  function flow(port: number, out: Record<string, unknown> = {}) {
    return [
      { id: 'tab', type: 'tab', label: 'test' },
      {
        id: 'b1',
        type: 'flespi-broker',
        z: 'tab',
        host: 'localhost',
        port,
        protocolVersion: 4,
        clientId: '',
        keepalive: 30,
        pin: '',
        bufferMessages: 100,
        bufferMegabytes: 1,
      },
      {
        id: 'out',
        type: 'flespi-mqtts-out',
        z: 'tab',
        x: 100,
        y: 100,
        broker: 'b1',
        topic: 'sensors/{{ident}}/temperature',
        qos: 1,
        retain: false,
        outputs: 1,
        wires: [['passed']],
        ...out,
      },
      { id: 'passed', type: 'helper', z: 'tab', x: 300, y: 100 },
      { id: 'catch', type: 'catch', z: 'tab', x: 100, y: 200, scope: null, uncaught: false, wires: [['caught']] },
      { id: 'caught', type: 'helper', z: 'tab', x: 300, y: 200 },
    ];
  }

  const credentials = (token = TOKEN) => ({ b1: { token, ca: pki.ca.cert } });

  function collect(id: string): Received[] {
    const seen: Received[] = [];
    (helper.getNode(id) as unknown as NodeJS.EventEmitter).on('input', (msg: Received) => seen.push(msg));
    return seen;
  }

  it('publishes a reading to the topic filled from it and passes the message on once the broker has it', async () => {
    broker = await startTlsBroker({ server: pki.server, token: TOKEN });
    await helper.load([translatingCatalogs, brokerNode, outNode, catchNode], flow(broker.port), credentials());
    const passed = collect('passed');
    const reading = { ident: '28-0316a27950ff', timestamp: 1764000000.5, temperature: 21.4375 };
    helper.getNode('out').receive({ payload: reading });
    await waitUntil(() => passed.length === 1, 5000, 'the message to be passed on');
    assert.equal(broker.received.length, 1);
    assert.equal(broker.received[0].topic, 'sensors/28-0316a27950ff/temperature');
    assert.deepEqual(JSON.parse(broker.received[0].payload.toString()), reading);
    assert.equal(broker.received[0].qos, 1);
  });

  it('fails a message with a topic flespi would refuse, so Catch nodes see it, and publishes nothing', async () => {
    broker = await startTlsBroker({ server: pki.server, token: TOKEN });
    await helper.load([translatingCatalogs, brokerNode, outNode, catchNode], flow(broker.port, { topic: '' }), credentials());
    const caught = collect('caught');
    const out = helper.getNode('out');
    out.receive({ payload: 'x', topic: 'flespi/state' });
    out.receive({ payload: 'x', topic: '/leading/slash' });
    out.receive({ payload: 'x', topic: 'a/+/b' });
    out.receive({ payload: 'x' });
    out.receive({ payload: undefined, topic: 'ok/topic' });
    out.receive({ payload: 'x', topic: 'ok/topic', qos: 2 });
    await waitUntil(() => caught.length === 5, 5000, 'five caught errors');
    const reasons = caught.map((m) => m.error?.message ?? '');
    assert.match(reasons[0], /reserved/);
    assert.match(reasons[1], /slash/);
    assert.match(reasons[2], /wildcard/);
    assert.match(reasons[3], /no topic/);
    assert.match(reasons[4], /payload is empty/);
    // QoS 2 from the message is ignored while the node fixes QoS 1: that message is published.
    await waitUntil(() => broker!.received.length === 1, 5000, 'the valid message');
  });

  it('keeps messages while the broker is down and delivers them in order when it comes up', async () => {
    const port = await freePort();
    await helper.load([translatingCatalogs, brokerNode, outNode, catchNode], flow(port), credentials());
    const passed = collect('passed');
    const out = helper.getNode('out');
    for (let i = 0; i < 5; i += 1) out.receive({ payload: { ident: 'room', seq: i } });
    const statusTexts = () => (out.status as unknown as { args: Array<[{ text?: string }]> }).args.map((a) => a[0].text ?? '');
    await waitUntil(() => statusTexts().some((text) => text.startsWith('queued 5')), 5000, 'the status to show five queued messages');
    assert.equal(passed.length, 0);
    broker = await startTlsBroker({ server: pki.server, token: TOKEN, port });
    await waitUntil(() => passed.length === 5, 10_000, 'five delivered messages');
    assert.deepEqual(
      broker.received.map((m) => JSON.parse(m.payload.toString()).seq),
      [0, 1, 2, 3, 4],
    );
    assert.deepEqual(
      passed.map((m) => (m.payload as { seq: number }).seq),
      [0, 1, 2, 3, 4],
    );
  });

  it('shows a refused token, tries it once, and keeps later messages for the next deploy', async () => {
    broker = await startTlsBroker({ server: pki.server, token: TOKEN });
    await helper.load([translatingCatalogs, brokerNode, outNode, catchNode], flow(broker.port), credentials('wrong'));
    const caught = collect('caught');
    const out = helper.getNode('out');
    const statusTexts = () =>
      (out.status as unknown as { args: Array<[{ fill?: string; text?: string }]> }).args
        .filter((a) => a[0].fill === 'red')
        .map((a) => a[0].text ?? '');
    await waitUntil(() => statusTexts().some((text) => /not authorized/.test(text)), 5000, 'the refused status');
    out.receive({ payload: { ident: 'a', temperature: 1 } });
    await waitUntil(
      () => statusTexts().includes('not authorized: check the token (1 kept for the next deploy)'),
      5000,
      'the status to count the kept message',
    );
    assert.deepEqual(caught, [], 'a kept message is not an error');
    assert.equal(broker.connectAttempts, 1);
  });

  it('refuses a node topic or QoS the edit dialog refuses, with the same words, and publishes nothing', async () => {
    broker = await startTlsBroker({ server: pki.server, token: TOKEN });
    for (const [change, words] of [
      [{ topic: 'flespi/state' }, 'topic "flespi/state" is reserved: flespi accepts no publishing under "flespi/"'],
      [{ topic: 'home/+/t' }, 'topic "home/+/t" contains a wildcard ("+" or "#"), which is for subscribing only'],
      [{ qos: 2 }, 'QoS: 0, 1, or from msg.qos'],
    ] as Array<[Record<string, unknown>, string]>) {
      await helper.load([translatingCatalogs, brokerNode, outNode, catchNode], flow(broker.port, change), credentials());
      const caught = collect('caught');
      const out = helper.getNode('out');
      const statuses = (out.status as unknown as { args: Array<[{ fill?: string; text?: string }]> }).args.map((a) => a[0]);
      assert.deepEqual(statuses, [{ fill: 'red', shape: 'ring', text: words }]);
      out.receive({ payload: { ident: 'a', temperature: 1 } });
      await waitUntil(() => caught.length === 1, 5000, 'the caught error');
      assert.equal(caught[0].error?.message, `Error: ${words}`);
      await helper.unload();
    }
    assert.equal(broker.received.length, 0);
  });

  it('shows unusable broker settings in red and fails each message with the reason, without crashing', async () => {
    for (const [bad, reason] of [
      [{ host: 'not a host!' }, /"not a host!" is not a host name/],
      [{ port: 70000 }, /Port: a whole number from 1 to 65535$/],
      [{ pin: 'abc' }, /64 hexadecimal digits/],
      [{ bufferMessages: 0 }, /Offline buffer: a whole number of messages from 1 to 1000000$/],
      [{ keepalive: 'often' }, /Keepalive: a whole number of seconds from 0 to 65535$/],
    ] as const) {
      const configured = flow(1).map((n) => (n.id === 'b1' ? { ...n, ...bad } : n));
      await helper.load([translatingCatalogs, brokerNode, outNode, catchNode], configured, credentials());
      const caught = collect('caught');
      const out = helper.getNode('out');
      out.receive({ payload: { ident: 'a', temperature: 1 } });
      await waitUntil(() => caught.length === 1, 5000, 'the caught error');
      assert.match(caught[0].error?.message ?? '', reason);
      const statuses = (out.status as unknown as { args: Array<[{ fill?: string; text?: string }]> }).args.map((a) => a[0]);
      assert.ok(
        statuses.some((st) => st.fill === 'red' && reason.test(st.text ?? '')),
        JSON.stringify(statuses),
      );
      await helper.unload();
    }
  });

  it('closes its connection on redeploy and opens a new one', async () => {
    broker = await startTlsBroker({ server: pki.server, token: TOKEN });
    await helper.load([translatingCatalogs, brokerNode, outNode, catchNode], flow(broker.port), credentials());
    const passed = collect('passed');
    helper.getNode('out').receive({ payload: { ident: 'a', temperature: 1 } });
    await waitUntil(() => passed.length === 1);
    assert.equal(broker.connectedClients, 1);
    await helper.setFlows(flow(broker.port, { topic: 'after/redeploy' }), 'full', credentials());
    await waitUntil(() => broker!.connectAttempts === 2 && broker!.connectedClients <= 1, 5000, 'one reconnect');
    const passedAgain = collect('passed');
    helper.getNode('out').receive({ payload: 'again' });
    await waitUntil(() => passedAgain.length === 1);
    assert.equal(broker.received[1].topic, 'after/redeploy');
    await helper.unload();
    await waitUntil(() => broker!.connectedClients === 0, 5000, 'the connection to close');
  });

  it('shares one connection between out nodes using the same broker', async () => {
    broker = await startTlsBroker({ server: pki.server, token: TOKEN });
    const twoOuts = [
      ...flow(broker.port),
      {
        id: 'out2',
        type: 'flespi-mqtts-out',
        z: 'tab',
        x: 100,
        y: 300,
        broker: 'b1',
        topic: 'second',
        qos: 0,
        retain: false,
        outputs: 0,
        wires: [],
      },
    ];
    await helper.load([translatingCatalogs, brokerNode, outNode, catchNode], twoOuts, credentials());
    helper.getNode('out').receive({ payload: { ident: 'a' } });
    helper.getNode('out2').receive({ payload: 'b' });
    await waitUntil(() => broker!.received.length === 2);
    assert.equal(broker.connectAttempts, 1);
    assert.equal(broker.connectedClients, 1);
  });
});

describe('flespi-broker Test connection endpoint', function () {
  let pki: TestPki;
  let broker: TlsBroker;

  before(async () => {
    pki = await testPki();
    broker = await startTlsBroker({ server: pki.server, token: TOKEN });
  });

  after(async () => {
    await broker.close();
  });

  beforeEach(() => helper.startServer());

  afterEach(async function () {
    await helper.unload();
    await helper.stopServer();
  });

  const settings = () => ({ host: 'localhost', port: broker.port, protocolVersion: 4, keepalive: 30, pin: '' });

  it('reports success for settings the broker accepts, using the stored token when the field is unchanged', async () => {
    const configured = [{ id: 'b1', type: 'flespi-broker', ...settings() }];
    await helper.load([translatingCatalogs, brokerNode], configured, { b1: { token: TOKEN, ca: pki.ca.cert } });
    const response = await helper
      .request()
      .post('/flespi-broker/test')
      .send({ id: 'b1', ...settings(), token: '__PWRD__' })
      .expect(200);
    assert.equal(response.body.ok, true);
  });

  it('reports the precise reason for a wrong token, an untrusted certificate and a closed port of the deployed host', async () => {
    // Why a connection failed is named for flespi's hosts and for the deployed host and port only (test-target.ts).
    const closedPort = await freePort();
    const deployed = [
      { id: 'b1', type: 'flespi-broker', ...settings() },
      { id: 'b2', type: 'flespi-broker', ...settings(), port: closedPort },
    ];
    await helper.load([translatingCatalogs, brokerNode], deployed, {});
    const wrong = await helper
      .request()
      .post('/flespi-broker/test')
      .send({ ...settings(), token: 'bad', ca: pki.ca.cert })
      .expect(200);
    assert.deepEqual(wrong.body, { ok: false, reason: 'not authorized: check the token' });
    const untrusted = await helper
      .request()
      .post('/flespi-broker/test')
      .send({ id: 'b1', ...settings(), token: TOKEN })
      .expect(200);
    assert.equal(untrusted.body.ok, false);
    assert.match(untrusted.body.reason, /unknown CA/);
    const closed = await helper
      .request()
      .post('/flespi-broker/test')
      .send({ id: 'b2', ...settings(), port: closedPort, token: TOKEN, ca: pki.ca.cert })
      .expect(200);
    assert.match(closed.body.reason, /connection refused by localhost/);
    const empty = await helper
      .request()
      .post('/flespi-broker/test')
      .send({ ...settings(), token: '' })
      .expect(200);
    assert.match(empty.body.reason, /no flespi token/);
  });
});
