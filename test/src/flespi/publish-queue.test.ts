import { strict as assert } from 'assert';
import * as fs from 'fs';
import * as os from 'os';
import * as path from 'path';
import { FlespiConnection } from '../../../src/flespi/connection';
import type { PublishRequest } from '../../../src/flespi/message';
import { publishSize } from '../../../src/flespi/packet-size';
import { MESSAGE_ID_MAX_LENGTH, MESSAGE_ID_PROPERTY, PublishQueue } from '../../../src/flespi/publish-queue';
import { encodePublish } from '../../../src/flespi/publish-packet';
import { MAX_BODY_BYTES } from '../../../src/flespi/store/framing';
import { listSegments, segmentPath } from '../../../src/flespi/store/segments';
import { freePort } from '../../support/free-port';
import { testPki } from '../../support/pki';
import { testBrokerSettings } from '../../support/broker-settings';

const request = (n: number, payloadBytes = 100): PublishRequest => ({
  topic: `sensors/${n}`,
  payload: Buffer.alloc(payloadBytes, 48 + (n % 10)),
  qos: 1,
  retain: false,
  properties: { contentType: 'application/json', userProperties: { site: 'kitchen' } },
});

describe('publish queue', () => {
  let parent: string;
  let directory: string;

  beforeEach(() => {
    parent = fs.mkdtempSync(path.join(os.tmpdir(), 'queue-'));
    directory = path.join(parent, 'flespi-outbox', 'b1');
  });
  afterEach(() => fs.rmSync(parent, { recursive: true, force: true }));

  /** A store holding `count` messages, written and closed as a stopping Node-RED leaves it. */
  async function storeOf(count: number, payloadBytes = 100): Promise<void> {
    const queue = new PublishQueue({ directory, syncIntervalMs: 10 });
    for (let n = 0; n < count; n += 1) queue.accept(request(n, payloadBytes), publishSize(request(n, payloadBytes)), () => undefined);
    await queue.close();
  }

  it('sizes a recovered message as a live one: MQTT 5 with its message-id property, never less than what is sent', async () => {
    const pki = await testPki();
    const live = new FlespiConnection(
      testBrokerSettings(await freePort(), pki, 'token', { backoff: { initialMs: 60_000, maxMs: 60_000 } }),
    );
    live.enqueue(request(7), () => undefined);
    const liveSize = live.publishQueue.next()!.size;
    live.publishQueue.requeueInFlight();
    await live.close();

    await storeOf(8);
    const queue = new PublishQueue({ directory });
    const recovered = [...Array(8)].map(() => queue.next()!);
    await queue.close();
    assert.equal(recovered[7].size, liveSize);
    for (const pending of recovered) {
      const sent = encodePublish(pending, 1, 5, { name: MESSAGE_ID_PROPERTY, value: pending.id });
      assert.ok(pending.size >= sent.length, `recovered size ${pending.size} < ${sent.length} bytes sent`);
      assert.equal(
        pending.size - sent.length,
        MESSAGE_ID_MAX_LENGTH - pending.id.length,
        'the allowance is the id at its longest, no more',
      );
    }
  });

  it('reopens a store holding more than a smaller buffer takes: keeps the newest that fit and reports the rest', async () => {
    await storeOf(6, 1000);
    const fewer = new PublishQueue({ directory, limits: { maxMessages: 4, maxBytes: 1024 * 1024 } });
    assert.deepEqual(fewer.takeOpenReport(), { recovered: 6, tornBytes: 0, corrupt: 0, overflow: 2 });
    assert.deepEqual(
      [...Array(4)].map(() => fewer.next()!.topic),
      ['sensors/2', 'sensors/3', 'sensors/4', 'sensors/5'],
    );
    await fewer.close();
  });

  it('reopens a store whose messages are larger than a smaller byte bound without failing', async () => {
    await storeOf(3, 3000);
    const smaller = new PublishQueue({ directory, limits: { maxMessages: 100, maxBytes: 5000 } });
    assert.deepEqual(smaller.takeOpenReport(), { recovered: 3, tornBytes: 0, corrupt: 0, overflow: 2 });
    assert.equal(smaller.length, 1);
    assert.equal(smaller.storage.kind, 'disk');
    await smaller.close();
    const tooSmall = new PublishQueue({ directory, limits: { maxMessages: 100, maxBytes: 1000 } });
    assert.equal(tooSmall.takeOpenReport()?.overflow, 1);
    assert.equal(tooSmall.length, 0);
    await tooSmall.close();
  });

  it('keeps its files to their owner: folders 0700, files 0600, also those an older version left open to others', async () => {
    await storeOf(2);
    const mode = (file: string) => fs.statSync(file).mode & 0o777;
    assert.equal(mode(path.join(parent, 'flespi-outbox')), 0o700);
    assert.equal(mode(directory), 0o700);
    const segments = listSegments(directory).map((number) => segmentPath(directory, number));
    assert.ok(segments.length > 0);
    for (const segment of segments) assert.equal(mode(segment), 0o600, segment);

    fs.chmodSync(directory, 0o755);
    for (const segment of segments) fs.chmodSync(segment, 0o644);
    const reopened = new PublishQueue({ directory });
    assert.equal(mode(directory), 0o700);
    for (const segment of segments) assert.equal(mode(segment), 0o600, segment);
    await reopened.close();
  });

  it('refuses at input a message whose record the store could not read back (over 64 MiB) when the buffer is on disk', async () => {
    const huge: PublishRequest = { topic: 'big', payload: Buffer.alloc(MAX_BODY_BYTES), qos: 1, retain: false };
    const limits = { maxMessages: 10, maxBytes: 1024 * 1024 * 1024 };
    const onDisk = new PublishQueue({ directory, limits });
    assert.throws(() => onDisk.accept(huge, publishSize(huge), () => undefined), /64 MiB/);
    assert.equal(onDisk.length, 0);
    const fits: PublishRequest = { ...huge, payload: Buffer.alloc(MAX_BODY_BYTES - 100) };
    onDisk.accept(fits, publishSize(fits), () => undefined);
    assert.equal(onDisk.length, 1);
    await onDisk.close();
    const inMemory = new PublishQueue({ limits });
    inMemory.accept(huge, publishSize(huge), () => undefined);
    assert.equal(inMemory.length, 1);
  });
});
