// Message expiry through an outage: mosquitto (MQTT 5, token plugin) is down while readings wait in
// the outbox; when it is back, one whose expiry passed during the outage is not delivered, one within
// its expiry is, with what is left of it.
import { strict as assert } from 'assert';
import { FlespiConnection } from '../../../src/flespi/connection';
import type { PublishRequest } from '../../../src/flespi/message';
import { EXPIRED_REASON } from '../../../src/flespi/message-expiry';
import { testBrokerSettings } from '../../support/broker-settings';
import { Mosquitto, startMosquitto } from '../../support/mosquitto';
import { testPki, TestPki } from '../../support/pki';
import { subscribe, Subscriber } from '../../support/subscriber';
import { waitUntil } from '../../support/wait';

const TOKEN = 'E'.repeat(64);

function retained(topic: string, expirySeconds: number): PublishRequest {
  return { topic, payload: topic, qos: 1, retain: true, properties: { messageExpiryInterval: expirySeconds } };
}

describe('message expiry through an outage (mosquitto, MQTT 5)', function () {
  this.timeout(30_000);
  let pki: TestPki;
  let broker: Mosquitto | undefined;
  let connection: FlespiConnection | undefined;
  let subscriber: Subscriber | undefined;

  before(async () => {
    pki = await testPki();
  });

  afterEach(async () => {
    await connection?.close();
    await subscriber?.close();
    await broker?.stop();
    connection = subscriber = broker = undefined;
  });

  it('drops a reading that waited past its expiry and delivers one within it, with the seconds left', async () => {
    broker = await startMosquitto({ server: pki.server, token: TOKEN, recordMessages: true });
    await broker.kill();
    connection = new FlespiConnection(testBrokerSettings(broker.port, pki, TOKEN, { backoff: { initialMs: 50, maxMs: 200 } }));
    const outageStarted = Date.now();
    const short = connection.publish(retained('expiry/short', 1)).then(
      () => 'delivered',
      (error: Error) => error.message,
    );
    const long = connection.publish(retained('expiry/long', 60));
    // The outage lasts longer than the short reading's expiry.
    await waitUntil(() => Date.now() - outageStarted > 2500, 5000, 'the outage to outlast the 1 s expiry');
    await broker.start();
    await long;
    assert.equal(await short, EXPIRED_REASON);
    const outage = (Date.now() - outageStarted) / 1000;

    // Retained messages reach a subscriber that comes later, each with the expiry it has left.
    subscriber = await subscribe({ port: broker.port, ca: pki.ca.cert, token: TOKEN, topic: 'expiry/#' });
    await subscriber.waitFor(1);
    assert.deepEqual(
      subscriber.messages.map((m) => m.topic),
      ['expiry/long'],
    );
    const left = subscriber.messages[0].properties?.messageExpiryInterval ?? 0;
    assert.ok(left <= 60 - Math.floor(outage) + 1 && left > 50, `${left} s left after a ${outage} s outage`);
    assert.deepEqual(
      broker.accepted().map((line) => line.split(' ')[0]),
      ['expiry/long'],
      'the expired reading never reached the broker',
    );
  });
});
