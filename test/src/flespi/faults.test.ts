import { strict as assert } from 'assert';
import { FlespiConnection } from '../../../src/flespi/connection';
import { BrokerSettings } from '../../../src/flespi/settings';
import { testBrokerSettings } from '../../support/broker-settings';
import { Mosquitto, startMosquitto } from '../../support/mosquitto';
import { testPki, TestPki } from '../../support/pki';
import { waitUntil } from '../../support/wait';

const TOKEN = 'F'.repeat(64);

/** The sequence numbers the broker accepted on a topic, in the order it accepted them. */
function acceptedSequence(broker: Mosquitto, topic: string): number[] {
  return broker
    .accepted()
    .filter((line) => line.startsWith(`${topic} `))
    .map((line) => Number(line.slice(topic.length + 1)));
}

describe('flespi connection when the broker fails (mosquitto killed and restarted)', function () {
  this.timeout(60_000);
  let pki: TestPki;
  let broker: Mosquitto | undefined;
  let connection: FlespiConnection | undefined;

  const settings = (port: number, overrides: Partial<BrokerSettings> = {}) =>
    testBrokerSettings(port, pki, TOKEN, { backoff: { initialMs: 100, maxMs: 400 }, ...overrides });

  before(async () => {
    pki = await testPki();
  });

  afterEach(async () => {
    await connection?.close();
    connection = undefined;
    await broker?.stop();
    broker = undefined;
  });

  it('loses none of 10,000 QoS 1 messages and keeps their order across a broker crash', async () => {
    const running = (broker = await startMosquitto({ server: pki.server, token: TOKEN, recordMessages: true }));
    connection = new FlespiConnection(settings(running.port, { outbox: { maxMessages: 20_000, maxBytes: 64 << 20 } }));
    const kinds: string[] = [];
    connection.on('state', (state) => kinds.push(state.kind));
    const total = 10_000;
    let confirmed = 0;
    let waitingAtCrash = 0;
    let crash: Promise<void> | undefined;
    const sent = Array.from({ length: total }, (_, i) =>
      connection!.publish({ topic: 'fault/seq', payload: Buffer.from(String(i)), qos: 1, retain: false }).then(() => {
        confirmed += 1;
        if (confirmed === 2000) {
          waitingAtCrash = connection!.waiting;
          crash = running.kill();
        }
      }),
    );
    await waitUntil(() => crash !== undefined, 20_000, 'the crash');
    await crash;
    await waitUntil(() => kinds.includes('disconnected'), 5000, 'the connection to notice the crash');
    await running.start();
    await Promise.all(sent);

    assert.ok(waitingAtCrash > 1000, `messages were still waiting when the broker died (${waitingAtCrash})`);
    assert.ok(kinds.includes('disconnected'), 'the connection noticed the crash');
    const accepted = acceptedSequence(running, 'fault/seq');
    const distinct = new Set(accepted);
    assert.equal(distinct.size, total, 'every message reached the broker');
    // Order: each message first reaches the broker after all the messages before it.
    const firstSeen: number[] = [];
    const seen = new Set<number>();
    for (const seq of accepted) {
      if (!seen.has(seq)) firstSeen.push(seq);
      seen.add(seq);
    }
    assert.deepEqual(
      firstSeen,
      Array.from({ length: total }, (_, i) => i),
    );
    // Duplicates only as QoS 1 allows: messages sent again because their PUBACK was lost in the crash.
    const duplicates = accepted.length - total;
    assert.ok(duplicates <= 256, `${duplicates} duplicates: no more than were in flight`);
    console.log(`      (${waitingAtCrash} waiting at the crash, ${duplicates} delivered twice)`);
  });

  it('when the broker stays down, fills the buffer to its bound, drops and counts the oldest, delivers the rest', async () => {
    const running = (broker = await startMosquitto({ server: pki.server, token: TOKEN, recordMessages: true }));
    connection = new FlespiConnection(settings(running.port, { outbox: { maxMessages: 100, maxBytes: 1 << 20 } }));
    await connection.publish({ topic: 'down/seq', payload: Buffer.from('-1'), qos: 1, retain: false });
    await running.kill();
    await waitUntil(() => connection!.state.kind === 'disconnected', 10_000, 'the disconnect');
    const outcomes = Array.from({ length: 250 }, (_, i) =>
      connection!.publish({ topic: 'down/seq', payload: Buffer.from(String(i)), qos: 1, retain: false }).then(
        () => 'delivered',
        (error: Error) => (/dropped/.test(error.message) ? 'dropped' : error.message),
      ),
    );
    assert.equal(connection.waiting, 100);
    assert.equal(connection.droppedTotal, 150);
    await running.start();
    const results = await Promise.all(outcomes);
    assert.deepEqual(results.slice(0, 150), Array(150).fill('dropped'));
    assert.deepEqual(results.slice(150), Array(100).fill('delivered'));
    assert.deepEqual(acceptedSequence(running, 'down/seq'), [-1, ...Array.from({ length: 100 }, (_, i) => 150 + i)]);
  });
});
