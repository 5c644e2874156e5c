import { strict as assert } from 'assert';
import { BrokerSettings, checkSettings } from '../../../src/flespi/settings';
import { RuleError } from '../../../src/field-rules';

/** The node words each rule from its catalog (test/src/field-rules.test.ts covers the rules themselves). */
const refusedBy = (rule: string) => (error: unknown) => error instanceof RuleError && error.problem.rule === rule;

const good: BrokerSettings = {
  host: 'mqtt.flespi.io',
  port: 8883,
  protocolVersion: 5,
  clientId: 'nodered-flespi-1',
  keepaliveSeconds: 60,
  token: 'x',
};

describe('broker settings', () => {
  it('accepts flespi hosts, IP addresses and the usual values', () => {
    assert.equal(checkSettings(good), good);
    assert.doesNotThrow(() => checkSettings({ ...good, host: 'ru-mqtt.flespi.io', protocolVersion: 4 }));
    assert.doesNotThrow(() => checkSettings({ ...good, host: '127.0.0.1' }));
    assert.doesNotThrow(() => checkSettings({ ...good, host: '::1', keepaliveSeconds: 0 }));
  });

  it('refuses what cannot work, saying which setting is wrong', () => {
    assert.throws(() => checkSettings({ ...good, host: 'mqtt flespi io' }), refusedBy('host'));
    assert.throws(() => checkSettings({ ...good, host: '' }), refusedBy('host'));
    assert.throws(() => checkSettings({ ...good, port: 0 }), refusedBy('port'));
    assert.throws(() => checkSettings({ ...good, port: 8883.5 }), refusedBy('port'));
    assert.throws(() => checkSettings({ ...good, protocolVersion: 3 as 4 }), /MQTT version/);
    assert.throws(() => checkSettings({ ...good, clientId: '' }), /client id is empty/);
    assert.throws(() => checkSettings({ ...good, clientId: 'é'.repeat(200) }), refusedBy('clientId'));
    assert.throws(() => checkSettings({ ...good, keepaliveSeconds: 70000 }), refusedBy('keepalive'));
    assert.throws(() => checkSettings({ ...good, pin: 'zz' }), refusedBy('pin'));
    assert.throws(() => checkSettings({ ...good, extraCa: 'not a certificate' }), /no PEM certificate/);
  });
});
