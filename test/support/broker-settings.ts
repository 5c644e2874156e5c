/** Broker settings for tests: a local broker on `port`, trusted through the test CA, quick to retry. */
import { BrokerSettings } from '../../src/flespi/settings';
import { TestPki } from './pki';

export function testBrokerSettings(port: number, pki: TestPki, token: string, overrides: Partial<BrokerSettings> = {}): BrokerSettings {
  return {
    host: 'localhost',
    port,
    protocolVersion: 5,
    clientId: `test-${Math.random().toString(16).slice(2)}`,
    keepaliveSeconds: 30,
    token,
    extraCa: pki.ca.cert,
    backoff: { initialMs: 50, maxMs: 300 },
    connectTimeoutMs: 3000,
    ...overrides,
  };
}
