import { strict as assert } from 'assert';
import { describeFailure, describeServerDisconnect, NOT_AUTHORIZED } from '../../../src/flespi/failure';

describe('connection failure reasons', () => {
  it('treats refused credentials as final, in MQTT 3.1.1 and 5', () => {
    for (const code of [4, 5, 134, 135, 138]) {
      assert.deepEqual(describeFailure({ code, message: 'Connection refused' }, 'h:1'), { reason: NOT_AUTHORIZED, fatal: true });
    }
  });

  it('treats network trouble as passing, naming the broker', () => {
    assert.deepEqual(describeFailure({ code: 'ECONNREFUSED' }, 'mqtt.flespi.io:8883'), {
      reason: 'connection refused by mqtt.flespi.io:8883',
      fatal: false,
    });
    assert.deepEqual(describeFailure({ code: 'ENOTFOUND' }, 'nope:8883'), { reason: 'host not found: nope:8883', fatal: false });
    assert.equal(describeFailure(new Error('connack timeout'), 'h:1').reason, 'no answer from h:1');
  });

  it('treats TLS and protocol refusals as final', () => {
    assert.equal(describeFailure({ code: 'DEPTH_ZERO_SELF_SIGNED_CERT' }, 'h:1').fatal, true);
    assert.match(describeFailure({ code: 132 }, 'h:1').reason, /MQTT version/);
  });

  it('names a session taken over by a client with the same id, and other DISCONNECT reasons by code', () => {
    assert.deepEqual(describeServerDisconnect(0x8e), {
      reason: 'another client with the same client id took over the session',
      fatal: false,
    });
    assert.equal(describeServerDisconnect(0x97, 'quota exceeded').reason, 'the broker disconnected (reason 151: quota exceeded)');
    assert.equal(describeServerDisconnect(undefined).reason, 'the broker disconnected (reason 0)');
  });
});
