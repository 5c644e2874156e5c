import { strict as assert } from 'assert';
import { decodeRecord, encodeConfirmed, encodeMessage, StoredMessage } from '../../../../src/flespi/store/record';

describe('outbox store: record bodies', () => {
  it('keeps every field of a message, binary payload and MQTT 5 properties included', () => {
    const message: StoredMessage = {
      seq: 2 ** 40 + 7,
      id: 'AbCd_-12xyz',
      topic: 'sensors/28-0316a27950ff/temperature',
      payload: Buffer.from([0, 255, 1, 2, 0xf1, 0x5e]),
      qos: 1,
      retain: true,
      properties: { contentType: 'application/json', messageExpiryInterval: 60, userProperties: { site: 'cellar', tags: ['a', 'b'] } },
    };
    assert.deepEqual(decodeRecord(encodeMessage(message)), { kind: 'message', message });
    const bare = { seq: 1, id: 'x1', topic: 't', payload: Buffer.alloc(0), qos: 0 as const, retain: false };
    assert.deepEqual(decodeRecord(encodeMessage(bare)), { kind: 'message', message: bare });
  });

  it('keeps the expiry deadline of a message that has one, to the millisecond', () => {
    const message: StoredMessage = {
      seq: 3,
      id: 'e3',
      topic: 't',
      payload: 'p',
      qos: 1,
      retain: false,
      properties: { messageExpiryInterval: 30 },
      expiresAt: 1_764_000_000_123,
    };
    const decoded = decodeRecord(encodeMessage(message));
    assert.deepEqual(decoded, { kind: 'message', message: { ...message, payload: Buffer.from('p') } });
  });

  it('keeps the confirmation mark and refuses a record type it does not know', () => {
    assert.deepEqual(decodeRecord(encodeConfirmed(123456789)), { kind: 'confirmed', through: 123456789 });
    assert.throws(() => decodeRecord(Buffer.from([9, 0, 0])), /unknown record type 9/);
  });
});
