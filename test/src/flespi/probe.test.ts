import { strict as assert } from 'assert';
import { isFlespiHost, probeBroker } from '../../../src/flespi/probe';
import { freePort } from '../../support/free-port';

describe('probeBroker', () => {
  it('knows flespi hosts by the flespi.io domain, not by a look-alike name', () => {
    for (const host of ['mqtt.flespi.io', 'MQTT.flespi.io.', 'flespi.io', ' mqtt.eu.flespi.io '])
      assert.equal(isFlespiHost(host), true, host);
    for (const host of ['flespi.io.example.com', 'evilflespi.io', '127.0.0.1', 'localhost', 'flespi-io.example'])
      assert.equal(isFlespiHost(host), false, host);
  });

  it('tells a failure before the broker spoke MQTT from a refusal by the broker', async () => {
    const port = await freePort();
    const result = await probeBroker(
      { host: '127.0.0.1', port, protocolVersion: 4, clientId: 'probe-test', keepaliveSeconds: 30, token: 'x' },
      2000,
    );
    assert.deepEqual(result, { ok: false, reason: `connection refused by 127.0.0.1:${port}`, stage: 'network' });
  });
});
