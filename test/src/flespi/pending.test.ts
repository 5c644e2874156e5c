import { strict as assert } from 'assert';
import { Pending } from '../../../src/flespi/pending';
import type { PublishRequest } from '../../../src/flespi/message';
import { encodePublish } from '../../../src/flespi/publish-packet';
import { requestToSend } from '../../../src/flespi/message-expiry';

const request: PublishRequest = { topic: 'sensors/a/temperature', payload: '{"t":21.5}', qos: 1, retain: true };

describe('a queued message (Pending)', () => {
  it('is the request it was made from, field for field', () => {
    const withExtras: PublishRequest = { ...request, qos: 0, retain: false, properties: { contentType: 'json' }, expiresAt: 1234 };
    for (const given of [request, withExtras]) {
      const pending = new Pending(given, 99, 7, 'p', false, () => undefined);
      assert.deepEqual(
        { topic: pending.topic, payload: pending.payload, qos: pending.qos, retain: pending.retain },
        { topic: given.topic, payload: given.payload, qos: given.qos, retain: given.retain },
      );
      assert.deepEqual(pending.properties, given.properties);
      assert.equal(pending.expiresAt, given.expiresAt);
      assert.deepEqual(encodePublish(pending, 1, 5), encodePublish(given, 1, 5));
    }
  });

  it('keeps its size beside the flags, up to the largest size a number holds exactly', () => {
    for (const size of [0, 1, 182, 268_435_455, 2 ** 40 + 3]) {
      const pending = new Pending(request, size, 1, 'p', false, () => undefined);
      assert.equal(pending.size, size);
      assert.equal(pending.qos, 1);
      assert.equal(pending.retain, true);
    }
  });

  it('builds its id from the queue prefix and its sequence number, or keeps the id it was stored with', () => {
    assert.equal(new Pending(request, 1, 36 * 36, 'abc', false, () => undefined).id, 'abc100');
    assert.equal(new Pending(request, 1, 5, 'stored-id-9', true, () => undefined).id, 'stored-id-9');
  });

  it('answers with itself, so that one answer serves every message', () => {
    const answers: Array<[string | undefined, string | undefined, string]> = [];
    const answer = (error: Error | undefined, message?: Pending) => answers.push([error?.message, message?.tag, message?.topic ?? '']);
    new Pending(request, 1, 1, 'p', false, answer, 'msg-1').done(new Error('dropped'));
    new Pending({ ...request, topic: 'b' }, 1, 2, 'p', false, answer, 'msg-2').done();
    assert.deepEqual(answers, [
      ['dropped', 'msg-1', 'sensors/a/temperature'],
      [undefined, 'msg-2', 'b'],
    ]);
  });

  it('sends what is left of its expiry with its QoS and retain flag', () => {
    const now = 1_000_000;
    const pending = new Pending(
      { ...request, properties: { messageExpiryInterval: 60 }, expiresAt: now + 30_000 },
      1,
      1,
      'p',
      false,
      () => undefined,
    );
    const sent = requestToSend(pending, now);
    assert.deepEqual(
      { qos: sent?.qos, retain: sent?.retain, topic: sent?.topic, interval: sent?.properties?.messageExpiryInterval },
      { qos: 1, retain: true, topic: request.topic, interval: 30 },
    );
  });
});
