import { strict as assert } from 'assert';
import { X509Certificate } from 'crypto';
import { ConnectionState, FlespiConnection } from '../../../src/flespi/connection';
import type { PublishRequest } from '../../../src/flespi/message';
import { NOT_AUTHORIZED } from '../../../src/flespi/failure';
import { BrokerSettings } from '../../../src/flespi/settings';
import { startTlsBroker, TlsBroker } from '../../../src/demo/tls-broker';
import { testBrokerSettings } from '../../support/broker-settings';
import { freePort } from '../../support/free-port';
import { testPki, TestPki } from '../../support/pki';
import { waitUntil, waitUntilSteady } from '../../support/wait';

const TOKEN = 'T'.repeat(64);

function settings(port: number, pki: TestPki, overrides: Partial<BrokerSettings> = {}): BrokerSettings {
  return testBrokerSettings(port, pki, TOKEN, { protocolVersion: 4, backoff: { initialMs: 40, maxMs: 200 }, ...overrides });
}

function message(topic: string, body: string, qos: 0 | 1 = 1): PublishRequest {
  return { topic, payload: Buffer.from(body), qos, retain: false };
}

function waitForState(connection: FlespiConnection, kind: ConnectionState['kind'], timeoutMs = 5000): Promise<ConnectionState> {
  return new Promise((resolve, reject) => {
    if (connection.state.kind === kind) return resolve(connection.state);
    const timer = setTimeout(() => reject(new Error(`state stayed ${JSON.stringify(connection.state)}, expected ${kind}`)), timeoutMs);
    const listener = (state: ConnectionState) => {
      if (state.kind !== kind) return;
      clearTimeout(timer);
      connection.off('state', listener);
      resolve(state);
    };
    connection.on('state', listener);
  });
}

describe('flespi connection (aedes broker over TLS, MQTT 3.1.1)', function () {
  let pki: TestPki;
  let broker: TlsBroker | undefined;
  let connection: FlespiConnection | undefined;

  before(async () => {
    pki = await testPki();
  });

  afterEach(async () => {
    await connection?.close();
    connection = undefined;
    await broker?.close();
    broker = undefined;
  });

  it('delivers QoS 1 and QoS 0 messages with the token as username, in order', async () => {
    const running = (broker = await startTlsBroker({ server: pki.server, token: TOKEN }));
    connection = new FlespiConnection(settings(running.port, pki));
    const sent = Array.from({ length: 300 }, (_, i) => connection!.publish(message('sensors/a/temperature', `m${i}`, i % 2 === 0 ? 1 : 0)));
    await Promise.all(sent);
    assert.equal(connection.waiting, 0);
    // QoS 0 resolves once written, so the last ones may still be on their way.
    await waitUntil(() => running.received.length === 300, 5000, 'all 300 messages at the broker');
    // MQTT orders messages within one QoS level; the broker may interleave the two levels.
    for (const qos of [0, 1]) {
      const expected = Array.from({ length: 300 }, (_, i) => i)
        .filter((i) => (i % 2 === 0 ? 1 : 0) === qos)
        .map((i) => `m${i}`);
      const got: string[] = running.received.filter((m) => m.qos === qos).map((m) => m.payload.toString());
      assert.deepEqual(got, expected, `QoS ${qos} order`);
    }
  });

  it('keeps messages while the broker is away and sends them in order once it is up', async () => {
    const port = await freePort();
    connection = new FlespiConnection(settings(port, pki));
    const states: string[] = [];
    connection.on('state', (state) => states.push(state.kind));
    const sent = [1, 2, 3, 4].map((i) => connection!.publish(message('t', `offline-${i}`)));
    await waitForState(connection, 'disconnected');
    assert.equal(connection.waiting, 4);
    assert.match((connection.state as { reason: string }).reason, /connection refused by localhost/);
    broker = await startTlsBroker({ server: pki.server, token: TOKEN, port });
    await Promise.all(sent);
    assert.deepEqual(
      broker.received.map((m) => m.payload.toString()),
      ['offline-1', 'offline-2', 'offline-3', 'offline-4'],
    );
    assert.ok(states.includes('connecting') && states.includes('connected'));
  });

  it('drops the oldest messages when the offline buffer is full, and says so', async () => {
    const port = await freePort();
    connection = new FlespiConnection(settings(port, pki, { outbox: { maxMessages: 5, maxBytes: 1 << 20 } }));
    const droppedEvents: number[] = [];
    connection.on('dropped', (_now, total) => droppedEvents.push(total));
    const outcomes = Array.from({ length: 8 }, (_, i) =>
      connection!.publish(message('t', `b${i}`)).then(
        () => 'ok',
        (error: Error) => error.message,
      ),
    );
    await waitForState(connection, 'disconnected');
    broker = await startTlsBroker({ server: pki.server, token: TOKEN, port });
    const results = await Promise.all(outcomes);
    assert.deepEqual(
      results.slice(0, 3).map((r) => /dropped: the offline buffer was full/.test(r)),
      [true, true, true],
    );
    assert.deepEqual(results.slice(3), ['ok', 'ok', 'ok', 'ok', 'ok']);
    assert.deepEqual(
      broker.received.map((m) => m.payload.toString()),
      ['b3', 'b4', 'b5', 'b6', 'b7'],
    );
    assert.equal(connection.droppedTotal, 3);
    assert.deepEqual(droppedEvents, [1, 2, 3]);
  });

  it('bounds the buffer by bytes as well as by count', async () => {
    const port = await freePort();
    connection = new FlespiConnection(settings(port, pki, { outbox: { maxMessages: 100, maxBytes: 300 } }));
    const outcomes = Array.from({ length: 5 }, (_, i) =>
      connection!.publish(message('t', `${i}`.repeat(100))).then(
        () => 'ok',
        () => 'dropped',
      ),
    );
    await waitForState(connection, 'disconnected');
    broker = await startTlsBroker({ server: pki.server, token: TOKEN, port });
    assert.deepEqual(await Promise.all(outcomes), ['dropped', 'dropped', 'dropped', 'ok', 'ok']);
  });

  it('stops after the broker refuses the token and keeps the messages for a connection with the right one', async () => {
    broker = await startTlsBroker({ server: pki.server, token: TOKEN });
    connection = new FlespiConnection(settings(broker.port, pki, { token: 'wrong-token' }));
    const outcomes = [
      connection.publish(message('t', 'x')).then(
        () => 'ok',
        (error: Error) => error.message,
      ),
    ];
    const refused = await waitForState(connection, 'refused');
    assert.equal((refused as { reason: string }).reason, NOT_AUTHORIZED);
    outcomes.push(
      connection.publish(message('t', 'later')).then(
        () => 'ok',
        (error: Error) => error.message,
      ),
    );
    await waitUntilSteady(() => broker!.connectAttempts, 600, 5000, 'the connection attempts');
    assert.equal(broker.connectAttempts, 1, 'a refused token must not be retried');
    assert.equal(connection.waiting, 2, 'both messages wait');
    assert.equal(broker.received.length, 0, 'nothing was sent under the refused token');

    // A redeploy with the corrected token: the next connection takes the same queue.
    const queue = connection.publishQueue;
    await connection.detach();
    connection = new FlespiConnection(settings(broker.port, pki), queue);
    connection.start();
    assert.deepEqual(await Promise.all(outcomes), ['ok', 'ok']);
    assert.deepEqual(
      broker.received.map((m) => m.payload.toString()),
      ['x', 'later'],
    );
  });

  it('refuses a broker whose CA is not trusted, with the reason', async () => {
    broker = await startTlsBroker({ server: pki.server });
    connection = new FlespiConnection(settings(broker.port, pki, { extraCa: undefined }));
    connection.start();
    const refused = (await waitForState(connection, 'refused')) as { reason: string };
    assert.match(refused.reason, /unknown CA/);
  });

  it('accepts the broker once its CA is added as an extra CA, keeping the public roots', async () => {
    broker = await startTlsBroker({ server: pki.server });
    connection = new FlespiConnection(settings(broker.port, pki, { extraCa: `${pki.otherCa.cert}\n${pki.ca.cert}` }));
    await connection.publish(message('t', 'trusted'));
    assert.equal(broker.received.length, 1);
  });

  it('refuses an expired certificate and one issued for another host name', async () => {
    broker = await startTlsBroker({ server: pki.expired });
    connection = new FlespiConnection(settings(broker.port, pki));
    connection.start();
    assert.match(((await waitForState(connection, 'refused')) as { reason: string }).reason, /expired/);
    await connection.close();
    await broker.close();

    broker = await startTlsBroker({ server: pki.otherName });
    connection = new FlespiConnection(settings(broker.port, pki));
    connection.start();
    assert.match(((await waitForState(connection, 'refused')) as { reason: string }).reason, /another host name/);
  });

  it('connects when the pin matches a certificate of the chain and refuses when it does not', async () => {
    broker = await startTlsBroker({ server: pki.server });
    const leafPin = new X509Certificate(pki.server.cert).fingerprint256;
    connection = new FlespiConnection(settings(broker.port, pki, { pin: leafPin.toLowerCase().replace(/:/g, '') }));
    await connection.publish(message('t', 'pinned'));
    await connection.close();

    const otherPin = new X509Certificate(pki.otherCa.cert).fingerprint256;
    connection = new FlespiConnection(settings(broker.port, pki, { pin: otherPin }));
    connection.start();
    assert.match(((await waitForState(connection, 'refused')) as { reason: string }).reason, /pinned fingerprint/);
    assert.equal(broker.received.length, 1);
  });

  it('closes promptly, rejecting what the broker never confirmed', async () => {
    const port = await freePort();
    connection = new FlespiConnection(settings(port, pki));
    const outcome = connection.publish(message('t', 'never')).then(
      () => 'ok',
      (error: Error) => error.message,
    );
    await waitForState(connection, 'disconnected');
    const started = Date.now();
    await connection.close();
    assert.ok(Date.now() - started < 3000);
    assert.match(await outcome, /closed before the broker confirmed/);
    assert.equal(connection.state.kind, 'idle');
  });
});
