// MQTT over WebSockets over TLS against aedes behind an HTTPS server with the flespi-style token
// check (mosquitto's websockets listener does not start on these machines). aedes speaks MQTT 3.1.1.
import { strict as assert } from 'assert';
import { X509Certificate } from 'crypto';
import * as fs from 'fs';
import * as os from 'os';
import * as path from 'path';
import { ConnectionState, FlespiConnection } from '../../../src/flespi/connection';
import type { PublishRequest } from '../../../src/flespi/message';
import { NOT_AUTHORIZED } from '../../../src/flespi/failure';
import { probeBroker } from '../../../src/flespi/probe';
import { PublishQueue } from '../../../src/flespi/publish-queue';
import { BrokerSettings } from '../../../src/flespi/settings';
import { listSegments } from '../../../src/flespi/store/segments';
import { startTlsBroker, TlsBroker } from '../../../src/demo/tls-broker';
import { testBrokerSettings } from '../../support/broker-settings';
import { testPki, TestPki } from '../../support/pki';
import { waitUntil } from '../../support/wait';

const TOKEN = 'W'.repeat(64);
const PATH = '/mqtt-ws';

function settings(port: number, pki: TestPki, overrides: Partial<BrokerSettings> = {}): BrokerSettings {
  return testBrokerSettings(port, pki, TOKEN, {
    protocolVersion: 4,
    transport: 'wss',
    wsPath: PATH,
    backoff: { initialMs: 40, maxMs: 200 },
    ...overrides,
  });
}

function message(body: string, qos: 0 | 1 = 1): PublishRequest {
  return { topic: 'sensors/ws/temperature', payload: Buffer.from(body), qos, retain: false };
}

function refusal(connection: FlespiConnection, timeoutMs = 5000): Promise<string> {
  return new Promise((resolve, reject) => {
    const timer = setTimeout(() => reject(new Error(`state stayed ${JSON.stringify(connection.state)}`)), timeoutMs);
    const listener = (state: ConnectionState) => {
      if (state.kind !== 'refused') return;
      clearTimeout(timer);
      connection.off('state', listener);
      resolve(state.reason);
    };
    connection.on('state', listener);
    connection.start();
  });
}

describe('flespi connection over WebSockets (aedes over ws behind HTTPS, MQTT 3.1.1)', function () {
  this.timeout(30_000);
  let pki: TestPki;
  let broker: TlsBroker | undefined;
  let connection: FlespiConnection | undefined;
  const directories: string[] = [];

  before(async () => {
    pki = await testPki();
  });

  afterEach(async () => {
    await connection?.close();
    connection = undefined;
    await broker?.close();
    broker = undefined;
    for (const directory of directories.splice(0)) fs.rmSync(directory, { recursive: true, force: true });
  });

  it('delivers QoS 1 and QoS 0 messages in order, with the token as username, on the configured path', async () => {
    const running = (broker = await startTlsBroker({ server: pki.server, token: TOKEN, webSocketPath: PATH }));
    connection = new FlespiConnection(settings(running.port, pki));
    await Promise.all(Array.from({ length: 2000 }, (_, i) => connection!.publish(message(`m${i}`, i % 2 === 0 ? 1 : 0))));
    await waitUntil(() => running.received.length === 2000, 5000, 'all 2000 messages at the broker');
    const atQos = (qos: number) => running.received.filter((m) => m.qos === qos).map((m) => m.payload.toString());
    assert.deepEqual(
      atQos(1),
      Array.from({ length: 1000 }, (_, i) => `m${i * 2}`),
    );
    assert.deepEqual(
      atQos(0),
      Array.from({ length: 1000 }, (_, i) => `m${i * 2 + 1}`),
    );
  });

  it('refuses a wrong token, keeping the message', async () => {
    broker = await startTlsBroker({ server: pki.server, token: TOKEN, webSocketPath: PATH });
    connection = new FlespiConnection(
      testBrokerSettings(broker.port, pki, 'X'.repeat(64), { protocolVersion: 4, transport: 'wss', wsPath: PATH }),
    );
    void connection.publish(message('kept')).catch(() => undefined);
    assert.equal(await refusal(connection), NOT_AUTHORIZED);
    assert.equal(connection.waiting, 1);
  });

  it('refuses a certificate from a CA it does not trust, and one that misses the pin', async () => {
    broker = await startTlsBroker({ server: pki.server, token: TOKEN, webSocketPath: PATH });
    connection = new FlespiConnection(settings(broker.port, pki, { extraCa: undefined }));
    assert.match(await refusal(connection), /unknown CA|untrusted/);
    await connection.close();

    connection = new FlespiConnection(settings(broker.port, pki, { pin: new X509Certificate(pki.otherCa.cert).fingerprint256 }));
    assert.match(await refusal(connection), /pinned fingerprint/);
    await connection.close();

    connection = new FlespiConnection(settings(broker.port, pki, { pin: new X509Certificate(pki.ca.cert).fingerprint256 }));
    await connection.publish(message('pinned to the CA'));
    assert.equal(broker.received.length, 1);
  });

  it('names a wrong WebSocket path and stops retrying', async () => {
    broker = await startTlsBroker({ server: pki.server, token: TOKEN, webSocketPath: PATH });
    connection = new FlespiConnection(settings(broker.port, pki, { wsPath: '/elsewhere' }));
    assert.match(await refusal(connection), /answered HTTP 400 instead of MQTT over WebSockets/);
  });

  it('Test connection (the probe) answers over WebSockets as over TLS', async () => {
    broker = await startTlsBroker({ server: pki.server, token: TOKEN, webSocketPath: PATH });
    assert.deepEqual((await probeBroker(settings(broker.port, pki))).ok, true);
    const wrong = await probeBroker(
      testBrokerSettings(broker.port, pki, 'X'.repeat(64), { protocolVersion: 4, transport: 'wss', wsPath: PATH }),
    );
    assert.deepEqual(wrong, { ok: false, reason: NOT_AUTHORIZED, stage: 'broker' });
  });

  it('keeps readings in the durable outbox across a broker restart and sends them all, in order', async () => {
    let running = (broker = await startTlsBroker({ server: pki.server, token: TOKEN, webSocketPath: PATH }));
    const port = running.port;
    const directory = fs.mkdtempSync(path.join(os.tmpdir(), 'wss-outbox-'));
    directories.push(directory);
    const queue = new PublishQueue({ directory });
    connection = new FlespiConnection(settings(port, pki), queue);
    await Promise.all(Array.from({ length: 100 }, (_, i) => connection!.publish(message(`before${i}`))));
    await running.close();
    broker = undefined;
    await waitUntil(() => connection!.state.kind === 'disconnected', 5000, 'the connection to notice the broker went');
    const during = Array.from({ length: 500 }, (_, i) => connection!.publish(message(`during${i}`)));
    await queue.flush();
    assert.ok(listSegments(directory).length > 0, 'the waiting readings are on disk');
    running = broker = await startTlsBroker({ server: pki.server, token: TOKEN, webSocketPath: PATH, port });
    await Promise.all(during);
    assert.deepEqual(
      running.received.map((m) => m.payload.toString()),
      Array.from({ length: 500 }, (_, i) => `during${i}`),
    );
    await waitUntil(() => listSegments(directory).length === 0, 5000, 'the confirmed segments to be deleted');
  });
});
