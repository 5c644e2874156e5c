import { strict as assert } from 'assert';
import { requestToSend, withExpiryDeadline, withMessageExpiry } from '../../../src/flespi/message-expiry';
import { RuleError } from '../../../src/field-rules';
import type { PublishRequest } from '../../../src/flespi/message';

describe('message expiry', () => {
  it('takes msg.messageExpiry, else msg.messageExpiryInterval, else the node default; 0 means none', () => {
    assert.equal(withMessageExpiry(undefined, {}, undefined), undefined);
    assert.deepEqual(withMessageExpiry(undefined, {}, 300), { messageExpiryInterval: 300 });
    assert.deepEqual(withMessageExpiry({ messageExpiryInterval: 20 }, {}, 300), { messageExpiryInterval: 20 });
    assert.deepEqual(withMessageExpiry({ messageExpiryInterval: 20, contentType: 'a' }, { messageExpiry: '45' }, 300), {
      messageExpiryInterval: 45,
      contentType: 'a',
    });
    assert.equal(withMessageExpiry(undefined, { messageExpiry: 0 }, 300), undefined);
    assert.deepEqual(withMessageExpiry({ messageExpiryInterval: 0, contentType: 'a' }, {}, 300), { contentType: 'a' });
  });

  it('refuses an msg.messageExpiry MQTT cannot carry, with the rule the editor uses', () => {
    for (const bad of [-1, 1.5, 2 ** 32, 'soon', null]) {
      assert.throws(
        () => withMessageExpiry(undefined, { messageExpiry: bad }, undefined),
        (error: unknown) => error instanceof RuleError && error.problem.rule === 'messageExpiry',
      );
    }
  });

  it('counts the time in the outbox: sends what is left, and nothing once the deadline has passed', () => {
    const request: PublishRequest = {
      topic: 't',
      payload: 'p',
      qos: 1,
      retain: false,
      properties: { messageExpiryInterval: 60, contentType: 'x' },
    };
    const accepted = withExpiryDeadline(request, 1_000_000);
    assert.equal(accepted.expiresAt, 1_060_000);
    assert.equal(withExpiryDeadline(accepted, 2_000_000).expiresAt, 1_060_000, 'a deadline read back from disk stays');
    assert.equal(requestToSend(accepted, 1_000_005), accepted);
    assert.deepEqual(requestToSend(accepted, 1_030_500)?.properties, { messageExpiryInterval: 30, contentType: 'x' });
    assert.equal(requestToSend(accepted, 1_060_000), undefined);
    const plain: PublishRequest = { topic: 't', payload: 'p', qos: 0, retain: false };
    assert.equal(withExpiryDeadline(plain), plain);
    assert.equal(requestToSend(plain), plain);
  });
});
