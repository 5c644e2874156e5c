/**
 * One CONNECT with the given settings, to tell a user in the editor whether the
 * broker accepts them, and if not, exactly why.
 */
import type { MqttClient } from 'mqtt';
import { flespiAccountId } from './client-options';
import { limitsFromConnack, ServerLimits } from './connack';
import { describeFailure } from './failure';
import { openClient } from './open-client';
import { BrokerSettings, checkSettings } from './settings';

export type ProbeResult =
  | { ok: true; accountId?: number; limits: ServerLimits }
  | { ok: false; reason: string };

export async function probeBroker(settings: BrokerSettings, timeoutMs = 10_000): Promise<ProbeResult> {
  let client: MqttClient;
  try {
    client = openClient(checkSettings({ ...settings, connectTimeoutMs: timeoutMs }));
  } catch (error) {
    return { ok: false, reason: (error as Error).message };
  }
  return new Promise((resolve) => {
    let lastError: unknown;
    const finish = (result: ProbeResult) => {
      clearTimeout(timer);
      client.removeAllListeners();
      client.on('error', () => undefined);
      client.end(true);
      resolve(result);
    };
    const timer = setTimeout(() => finish({ ok: false, reason: `no answer from ${settings.host}:${settings.port}` }), timeoutMs + 1000);
    client.on('connect', (connack) => {
      finish({ ok: true, accountId: flespiAccountId(connack), limits: limitsFromConnack(connack.properties) });
    });
    client.on('error', (error) => {
      lastError = error;
    });
    client.on('close', () => {
      const where = `${settings.host}:${settings.port}`;
      finish({ ok: false, reason: describeFailure(lastError ?? new Error('the connection was closed'), where).reason });
    });
  });
}
