/**
 * An MQTT.js client for one connection attempt, over a TLS socket of our own making:
 * verification on (src/flespi/tls.ts) and Nagle's algorithm off.
 */
import * as net from 'net';
import * as tls from 'tls';
import { MqttClient } from 'mqtt';
import { clientOptions } from './client-options';
import { BrokerSettings } from './settings';
import { buildTlsOptions } from './tls';

export function openClient(settings: BrokerSettings): MqttClient {
  const tlsOptions: tls.ConnectionOptions = {
    host: settings.host,
    port: settings.port,
    // SNI takes host names only (RFC 6066, section 3).
    ...(net.isIP(settings.host) === 0 ? { servername: settings.host } : {}),
    ...buildTlsOptions({ servername: settings.host, extraCa: settings.extraCa, pin: settings.pin }),
  };
  return new MqttClient(() => {
    const socket = tls.connect(tlsOptions);
    // With a bounded window of messages in flight, Nagle's algorithm on our side and a
    // delayed ACK on the broker's hold the next publishes until a timer fires (about
    // 40 ms on Linux) whenever the window fills: a QoS 1 stream then stalls.
    return socket.setNoDelay(true);
  }, clientOptions(settings));
}
