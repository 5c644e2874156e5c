/** The MQTT.js options for one connection attempt, built fresh each time (MQTT.js mutates them); open-client.ts makes the TLS socket. */
import type { IClientOptions } from 'mqtt';
import { BrokerSettings } from './settings';
import { statusWill } from './status-topic';
import { flespiUsername } from './token';

export const DEFAULT_CONNECT_TIMEOUT_MS = 15_000;

export function clientOptions(settings: BrokerSettings): IClientOptions {
  const will = statusWill(settings.statusTopic);
  return {
    protocol: settings.transport === 'wss' ? 'wss' : 'mqtts',
    host: settings.host,
    port: settings.port,
    protocolVersion: settings.protocolVersion,
    clientId: settings.clientId,
    username: flespiUsername(settings.token),
    keepalive: settings.keepaliveSeconds,
    clean: true,
    connectTimeout: settings.connectTimeoutMs ?? DEFAULT_CONNECT_TIMEOUT_MS,
    // Reconnecting, and keeping messages while offline, are ours to do: MQTT.js would
    // retry at a fixed rate and buffer without bound.
    reconnectPeriod: 0,
    queueQoSZero: false,
    ...(will ? { will } : {}),
    ...(settings.protocolVersion === 5 ? { properties: { requestProblemInformation: true } } : {}),
  };
}

/** flespi names the account in a CONNACK user property `token` holding JSON with `cid`. */
export function flespiAccountId(connack: { properties?: { userProperties?: Record<string, unknown> } }): number | undefined {
  const raw = connack.properties?.userProperties?.token;
  if (typeof raw !== 'string') return undefined;
  try {
    const cid = (JSON.parse(raw) as { cid?: unknown }).cid;
    return typeof cid === 'number' ? cid : undefined;
  } catch {
    return undefined;
  }
}
