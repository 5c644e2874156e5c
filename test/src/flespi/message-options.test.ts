import { strict as assert } from 'assert';
import { messageProperties, publishQos } from '../../../src/flespi/message-options';

describe('publish options from a message', () => {
  it('reads MQTT 5 properties and refuses values MQTT cannot carry', () => {
    assert.equal(messageProperties({ payload: 1 }), undefined);
    assert.deepEqual(messageProperties({ messageExpiryInterval: 60, contentType: 'text/plain', userProperties: { a: 1, b: ['x', 2] } }), {
      messageExpiryInterval: 60,
      contentType: 'text/plain',
      userProperties: { a: '1', b: ['x', '2'] },
    });
    assert.throws(() => messageProperties({ messageExpiryInterval: -1 }), /whole number of seconds/);
    assert.throws(() => messageProperties({ messageExpiryInterval: 1.5 }), /whole number of seconds/);
    assert.throws(() => messageProperties({ contentType: 5 }), /must be a string/);
    assert.throws(() => messageProperties({ userProperties: 'x' }), /object of names/);
  });

  it('takes the node QoS, or msg.qos when the node leaves it open, and offers no QoS 2', () => {
    assert.equal(publishQos(1, 0), 1);
    assert.equal(publishQos('0', undefined), 0);
    assert.equal(publishQos('', 0), 0);
    assert.equal(publishQos(undefined, undefined), 1);
    assert.throws(() => publishQos('', 2), /QoS 2 is not offered by flespi/);
  });
});
