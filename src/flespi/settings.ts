/** The settings of one broker connection, checked before any connection is attempted. */
import { BackoffOptions } from './backoff';
import { OutboxLimits } from './outbox';
import { normalisePin, parseCaCertificates } from './tls';
import {
  checkBrokerHost,
  checkBrokerPort,
  checkClientId,
  checkKeepalive,
  checkPin,
  checkStatusTopic,
  checkTransport,
  checkWsPath,
  enforce,
} from '../field-rules';
import type { Transport } from './transport';

export interface BrokerSettings {
  host: string;
  port: number;
  protocolVersion: 4 | 5;
  clientId: string;
  keepaliveSeconds: number;
  /** The token as the user entered it; normalised to `FlespiToken <token>` when connecting. */
  token: string;
  /** Extra CA certificates (PEM), added to Node's trusted roots. */
  extraCa?: string;
  /** SHA-256 fingerprint of one certificate in the served chain. */
  pin?: string;
  outbox?: OutboxLimits;
  connectTimeoutMs?: number;
  backoff?: BackoffOptions;
  /** Where `online` (retained, on each connect) and `offline` (the will, and on a clean close) go; blank or absent: nowhere. */
  statusTopic?: string;
  /** MQTT over TLS (the default) or MQTT over WebSockets over TLS. */
  transport?: Transport;
  /** The WebSocket URL path (MQTT over WebSockets only); absent: DEFAULT_WS_PATH (src/flespi/transport.ts). */
  wsPath?: string;
}

/** Throws a RuleError (src/field-rules.ts) naming the first setting a broker connection cannot use. */
export function checkSettings(settings: BrokerSettings): BrokerSettings {
  enforce(checkBrokerHost(settings.host));
  enforce(checkBrokerPort(settings.port));
  if (settings.protocolVersion !== 4 && settings.protocolVersion !== 5) {
    throw new Error('the MQTT version must be 5 or 3.1.1');
  }
  // A blank id in the node's settings is replaced by a generated one before it gets here.
  if (settings.clientId.length === 0) throw new Error('the client id is empty');
  enforce(checkClientId(settings.clientId));
  enforce(checkKeepalive(settings.keepaliveSeconds));
  // Certificates and the pin are read again for every connection; a mistake in them is reported now.
  enforce(checkPin(settings.pin));
  enforce(checkStatusTopic(settings.statusTopic ?? ''));
  enforce(checkTransport(settings.transport ?? ''));
  enforce(checkWsPath(settings.wsPath ?? ''));
  normalisePin(settings.pin);
  parseCaCertificates(settings.extraCa);
  return settings;
}
