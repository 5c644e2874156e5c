import { strict as assert } from 'assert';
import { ConnectionState, FlespiConnection } from '../../../src/flespi/connection';
import { NOT_AUTHORIZED } from '../../../src/flespi/failure';
import { BrokerSettings } from '../../../src/flespi/settings';
import { testBrokerSettings } from '../../support/broker-settings';
import { Mosquitto, startMosquitto } from '../../support/mosquitto';
import { testPki, TestPki } from '../../support/pki';
import { subscribe, Subscriber } from '../../support/subscriber';
import { waitUntilSteady } from '../../support/wait';

const TOKEN = 'M'.repeat(64);

describe('flespi connection (mosquitto over TLS with token auth, MQTT 5)', function () {
  let pki: TestPki;
  let broker: Mosquitto;
  let limited: Mosquitto;
  let subscriber: Subscriber | undefined;
  let connection: FlespiConnection | undefined;

  const settings = (port: number, overrides: Partial<BrokerSettings> = {}) =>
    testBrokerSettings(port, pki, `FlespiToken ${TOKEN}`, overrides);

  before(async () => {
    pki = await testPki();
    broker = await startMosquitto({ server: pki.server, token: TOKEN });
    limited = await startMosquitto({ server: pki.server, token: TOKEN, extraConfig: ['max_packet_size 1024', 'max_qos 0'] });
  });

  after(async () => {
    await broker?.stop();
    await limited?.stop();
  });

  afterEach(async () => {
    await connection?.close();
    connection = undefined;
    await subscriber?.close();
    subscriber = undefined;
  });

  it('delivers QoS 1 and QoS 0 messages in order', async () => {
    subscriber = await subscribe({ port: broker.port, ca: pki.ca.cert, token: TOKEN, topic: 'order/#' });
    connection = new FlespiConnection(settings(broker.port));
    await Promise.all(
      Array.from({ length: 100 }, (_, i) =>
        connection!.publish({ topic: `order/${i % 2}`, payload: Buffer.from(String(i)), qos: (i % 2) as 0 | 1, retain: false }),
      ),
    );
    const got = await subscriber.waitFor(100);
    for (const qos of [0, 1]) {
      const expected = Array.from({ length: 100 }, (_, i) => i)
        .filter((i) => i % 2 === qos)
        .map(String);
      assert.deepEqual(
        got.filter((m) => m.topic === `order/${qos}`).map((m) => m.payload),
        expected,
      );
    }
    assert.equal(connection.state.kind, 'connected');
  });

  it('keeps a retained message for a subscriber that comes later', async () => {
    connection = new FlespiConnection(settings(broker.port));
    await connection.publish({ topic: 'retained/kitchen', payload: Buffer.from('21.5'), qos: 1, retain: true });
    subscriber = await subscribe({ port: broker.port, ca: pki.ca.cert, token: TOKEN, topic: 'retained/#' });
    const [first] = await subscriber.waitFor(1);
    assert.equal(first.payload, '21.5');
    assert.equal(first.retain, true);
  });

  it('sends MQTT 5 message expiry, content type and user properties', async () => {
    subscriber = await subscribe({ port: broker.port, ca: pki.ca.cert, token: TOKEN, topic: 'props/#' });
    connection = new FlespiConnection(settings(broker.port));
    await connection.publish({
      topic: 'props/a',
      payload: Buffer.from('{"temperature":20}'),
      qos: 1,
      retain: false,
      properties: { messageExpiryInterval: 3600, contentType: 'application/json', userProperties: { source: 'ds18b20' } },
    });
    const [got] = await subscriber.waitFor(1);
    assert.equal(got.properties?.contentType, 'application/json');
    const { 'message-id': id, ...own } = { ...got.properties?.userProperties };
    assert.deepEqual(own, { source: 'ds18b20' });
    assert.match(String(id), /^[A-Za-z0-9_-]{8}[0-9a-z]+$/, "the message id is added beside the message's own properties");
    assert.ok((got.properties?.messageExpiryInterval ?? 0) > 3500);
  });

  it('gives every message its own id, so that a consumer can drop a resent one', async () => {
    subscriber = await subscribe({ port: broker.port, ca: pki.ca.cert, token: TOKEN, topic: 'ids/#' });
    connection = new FlespiConnection(settings(broker.port));
    await Promise.all(
      Array.from({ length: 20 }, (_, i) =>
        connection!.publish({ topic: 'ids/a', payload: Buffer.from(String(i)), qos: (i % 2) as 0 | 1, retain: false }),
      ),
    );
    const got = await subscriber.waitFor(20);
    const ids = got.map((m) => String(m.properties?.userProperties?.['message-id']));
    assert.equal(new Set(ids).size, 20, `ids: ${ids.join(' ')}`);
  });

  it('reports a message the broker refuses (PUBACK reason 0x87) without dropping the connection', async () => {
    connection = new FlespiConnection(settings(broker.port));
    await assert.rejects(
      connection.publish({ topic: 'forbidden/x', payload: Buffer.from('no'), qos: 1, retain: false }),
      /the broker refused the message: .*\(reason 135\)/,
    );
    await connection.publish({ topic: 'allowed/x', payload: Buffer.from('yes'), qos: 1, retain: false });
    assert.equal(connection.state.kind, 'connected');
  });

  it('respects the limits the broker announces in its CONNACK', async () => {
    subscriber = await subscribe({ port: limited.port, ca: pki.ca.cert, token: TOKEN, topic: 'limits/#' });
    connection = new FlespiConnection(settings(limited.port));
    await connection.publish({ topic: 'limits/small', payload: Buffer.from('ok'), qos: 0, retain: false });
    assert.equal(connection.serverLimits.maximumPacketSize, 1024);
    assert.equal(connection.serverLimits.maximumQoS, 0);
    await assert.rejects(
      connection.publish({ topic: 'limits/big', payload: Buffer.alloc(2000, 0x61), qos: 0, retain: false }),
      /more than the broker accepts \(1024 bytes\)/,
    );
    await assert.rejects(connection.publish({ topic: 'limits/qos', payload: Buffer.from('x'), qos: 1, retain: false }), /at most QoS 0/);
    await connection.publish({ topic: 'limits/after', payload: Buffer.from('still connected'), qos: 0, retain: false });
    const got = await subscriber.waitFor(2);
    assert.deepEqual(
      got.map((m) => m.topic),
      ['limits/small', 'limits/after'],
    );
    assert.equal(connection.state.kind, 'connected');
  });

  it('backs off, instead of fighting, when another client keeps taking the session of the same client id', async () => {
    const clientId = `shared-id-${Math.random().toString(16).slice(2)}`;
    const first = new FlespiConnection(settings(broker.port, { clientId, backoff: { initialMs: 50, maxMs: 1000 } }));
    const second = new FlespiConnection(settings(broker.port, { clientId, backoff: { initialMs: 50, maxMs: 1000 } }));
    const reasons = new Set<string>();
    for (const each of [first, second]) each.on('state', (state) => state.kind === 'disconnected' && reasons.add(state.reason));
    try {
      first.start();
      second.start();
      await new Promise((resolve) => setTimeout(resolve, 3000));
    } finally {
      await first.close();
      await second.close();
    }
    const connects = broker
      .log()
      .split('\n')
      .filter((line) => line.includes(` as ${clientId} `)).length;
    // Retrying at the first delay (25-50 ms) would make about a hundred connections in 3 s.
    assert.ok(connects >= 3 && connects <= 30, `${connects} connections in 3 s`);
    // mosquitto 2.0 closes the older connection without an MQTT 5 DISCONNECT, so the reason is the bare loss.
    assert.ok(reasons.size > 0, 'the status gives a reason');
  });

  it('tries a wrong token once and stops, saying why', async () => {
    const refusedBefore = broker.refusedConnects();
    connection = new FlespiConnection(settings(broker.port, { token: 'not-the-token' }));
    connection.start();
    const state = await new Promise<ConnectionState>((resolve) => {
      connection!.on('state', (s) => s.kind === 'refused' && resolve(s));
    });
    assert.equal((state as { reason: string }).reason, NOT_AUTHORIZED);
    await waitUntilSteady(() => broker.refusedConnects(), 1000, 5000, 'the refused connections');
    assert.equal(broker.refusedConnects() - refusedBefore, 1);
  });

  it('gives up a message the broker disconnects on, each time it is sent, with the reason: the next ones still go out', async () => {
    subscriber = await subscribe({ port: broker.port, ca: pki.ca.cert, token: TOKEN, topic: 'malformed/#' });
    connection = new FlespiConnection(settings(broker.port));
    // As a store written by an older version could hold it: input checks would refuse it today.
    const bad = connection.publish({
      topic: 'malformed/bad',
      payload: Buffer.from('x'),
      qos: 1,
      retain: false,
      properties: { contentType: 'text/\u0000plain' },
    });
    const good = Array.from({ length: 5 }, (_, i) =>
      connection!.publish({ topic: 'malformed/good', payload: Buffer.from(String(i)), qos: 1, retain: false }),
    );
    await assert.rejects(bad, /the broker closed the connection each of the 3 times this message was sent/);
    await Promise.all(good);
    const got = await subscriber.waitFor(5);
    assert.deepEqual(
      got.map((m) => m.payload),
      ['0', '1', '2', '3', '4'],
    );
  });
});
