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

/**
 * Where a failed probe stopped: `settings` refused before any connection, `network` before the broker
 * said anything over MQTT (DNS, TCP, TLS, WebSocket, no answer), `broker` a CONNACK refusing the settings.
 */
export type ProbeStage = 'settings' | 'network' | 'broker';

export type ProbeResult = { ok: true; accountId?: number; limits: ServerLimits } | { ok: false; reason: string; stage: ProbeStage };

/** flespi's own hosts: `flespi.io` and the names under it, such as `mqtt.flespi.io`. */
export function isFlespiHost(host: string): boolean {
  const name = host.trim().toLowerCase().replace(/\.$/, '');
  return name === 'flespi.io' || name.endsWith('.flespi.io');
}

export async function probeBroker(settings: BrokerSettings, timeoutMs = 10_000): Promise<ProbeResult> {
  let client: MqttClient;
  try {
    client = openClient(checkSettings({ ...settings, connectTimeoutMs: timeoutMs }));
  } catch (error) {
    return { ok: false, reason: (error as Error).message, stage: 'settings' };
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
    const timer = setTimeout(
      () => finish({ ok: false, reason: `no answer from ${settings.host}:${settings.port}`, stage: 'network' }),
      timeoutMs + 1000,
    );
    client.on('connect', (connack) => {
      finish({ ok: true, accountId: flespiAccountId(connack), limits: limitsFromConnack(connack.properties) });
    });
    client.on('error', (error) => {
      lastError = error;
    });
    client.on('close', () => {
      const where = `${settings.host}:${settings.port}`;
      const failure = lastError ?? new Error('the connection was closed');
      // MQTT.js gives a CONNACK's refusal its reason code, a number; network, TLS and WebSocket errors have names.
      const stage = typeof (failure as { code?: unknown }).code === 'number' ? 'broker' : 'network';
      finish({ ok: false, reason: describeFailure(failure, where).reason, stage });
    });
  });
}
