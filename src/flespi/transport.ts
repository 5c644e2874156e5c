/**
 * How a broker config reaches its broker. flespi serves MQTT over TLS on 8883 and MQTT over
 * WebSockets over TLS on 443 (flespi knowledge base, "How to consume messages from flespi via
 * MQTT": https://flespi.com/kb/how-to-consume-telematics-hub-messages-via-mqtt).
 */
export type Transport = 'tls' | 'wss';

export const DEFAULT_PORTS: Readonly<Record<Transport, number>> = { tls: 8883, wss: 443 };

export const DEFAULT_HOST = 'mqtt.flespi.io';

/**
 * The WebSocket URL path when the user gives none. flespi's documentation names the port, not a
 * path; flespi's own MQTT.js clients open `wss://mqtt.flespi.io` with no path, which MQTT.js
 * sends as `/` (MQTT Board: github.com/flespi-software/MQTT-Board, src/mixins/defaults.js; the
 * browser example: github.com/flespi-software/examples, mqtt-client/browser/example.html). Their
 * Paho example (mqtt-client/nodejs-paho-ws/example.js) gives no path either, so Paho asks for
 * `/mqtt`, its own default: flespi answers on both, and `/mqtt` can be set in the config.
 */
export const DEFAULT_WS_PATH = '/';

/** A stored config's transport: anything but `wss` is today's MQTT over TLS. */
export function transportOf(value: unknown): Transport {
  return value === 'wss' ? 'wss' : 'tls';
}

/** Where a broker config points, as saved by the editor: a blank host, port or path takes the default. */
export interface BrokerAddressFields {
  transport?: unknown;
  host?: unknown;
  port?: unknown;
  wsPath?: unknown;
}

export interface BrokerAddress {
  transport: Transport;
  host: string;
  port: number;
  /** The WebSocket URL path; '' over plain TLS, where there is none. */
  wsPath: string;
}

export function brokerAddress(fields: BrokerAddressFields): BrokerAddress {
  const text = (value: unknown) => (typeof value === 'string' || typeof value === 'number' ? String(value).trim() : '');
  const transport = transportOf(fields.transport);
  return {
    transport,
    host: text(fields.host) || DEFAULT_HOST,
    port: text(fields.port) === '' ? DEFAULT_PORTS[transport] : Number(fields.port),
    wsPath: transport === 'wss' ? text(fields.wsPath) || DEFAULT_WS_PATH : '',
  };
}
