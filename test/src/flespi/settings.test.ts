import { strict as assert } from 'assert';
import { BrokerSettings, checkSettings } from '../../../src/flespi/settings';

const good: BrokerSettings = {
  host: 'mqtt.flespi.io', port: 8883, protocolVersion: 5, clientId: 'nodered-flespi-1', keepaliveSeconds: 60, token: 'x',
};

describe('broker settings', () => {
  it('accepts flespi hosts, IP addresses and the usual values', () => {
    assert.equal(checkSettings(good), good);
    assert.doesNotThrow(() => checkSettings({ ...good, host: 'ru-mqtt.flespi.io', protocolVersion: 4 }));
    assert.doesNotThrow(() => checkSettings({ ...good, host: '127.0.0.1' }));
    assert.doesNotThrow(() => checkSettings({ ...good, host: '::1', keepaliveSeconds: 0 }));
  });

  it('refuses what cannot work, saying which setting is wrong', () => {
    assert.throws(() => checkSettings({ ...good, host: 'mqtt flespi io' }), /is not a host name/);
    assert.throws(() => checkSettings({ ...good, host: '' }), /is not a host name/);
    assert.throws(() => checkSettings({ ...good, port: 0 }), /port 0 is not between 1 and 65535/);
    assert.throws(() => checkSettings({ ...good, port: 8883.5 }), /not between 1 and 65535/);
    assert.throws(() => checkSettings({ ...good, protocolVersion: 3 as 4 }), /MQTT version/);
    assert.throws(() => checkSettings({ ...good, clientId: '' }), /client id must be 1 to 256 bytes/);
    assert.throws(() => checkSettings({ ...good, clientId: 'é'.repeat(200) }), /client id must be 1 to 256 bytes/);
    assert.throws(() => checkSettings({ ...good, keepaliveSeconds: 70000 }), /keepalive/);
    assert.throws(() => checkSettings({ ...good, pin: 'zz' }), /64 hexadecimal digits/);
    assert.throws(() => checkSettings({ ...good, extraCa: 'not a certificate' }), /no PEM certificate/);
  });
});
