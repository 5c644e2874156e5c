/**
 * An MQTT.js client for one connection attempt, over a TLS socket of our own making:
 * verification on (src/flespi/tls.ts) and Nagle's algorithm off; or, for MQTT over
 * WebSockets, over a WebSocket on the same verified TLS (src/flespi/websocket-stream.ts).
 */
import * as net from 'net';
import * as tls from 'tls';
import { MqttClient } from 'mqtt';
import { clientOptions, DEFAULT_CONNECT_TIMEOUT_MS } from './client-options';
import { BrokerSettings } from './settings';
import { buildTlsOptions } from './tls';
import { openWebSocketStream } from './websocket-stream';

export function openClient(settings: BrokerSettings): MqttClient {
  const verified = buildTlsOptions({ servername: settings.host, extraCa: settings.extraCa, pin: settings.pin });
  if (settings.transport === 'wss') {
    const timeoutMs = settings.connectTimeoutMs ?? DEFAULT_CONNECT_TIMEOUT_MS;
    return new MqttClient((client) => openWebSocketStream(client, settings, verified, timeoutMs), clientOptions(settings));
  }
  const tlsOptions: tls.ConnectionOptions = {
    host: settings.host,
    port: settings.port,
    // SNI takes host names only (RFC 6066, section 3).
    ...(net.isIP(settings.host) === 0 ? { servername: settings.host } : {}),
    ...verified,
  };
  return new MqttClient(() => {
    const socket = tls.connect(tlsOptions);
    // With a bounded window of messages in flight, Nagle's algorithm on our side and a
    // delayed ACK on the broker's hold the next publishes until a timer fires (about
    // 40 ms on Linux) whenever the window fills: a QoS 1 stream then stalls.
    return socket.setNoDelay(true);
  }, clientOptions(settings));
}
