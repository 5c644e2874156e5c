/** The settings of one broker connection, checked before any connection is attempted. */
import { BackoffOptions } from './backoff';
import { OutboxLimits } from './outbox';
import { normalisePin, parseCaCertificates } from './tls';

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
}

export function checkSettings(settings: BrokerSettings): BrokerSettings {
  if (!/^[A-Za-z0-9.-]{1,253}$/.test(settings.host) && !/^\[?[0-9a-fA-F:]+\]?$/.test(settings.host)) {
    throw new Error(`"${settings.host}" is not a host name`);
  }
  if (!Number.isInteger(settings.port) || settings.port < 1 || settings.port > 65535) {
    throw new Error(`port ${settings.port} is not between 1 and 65535`);
  }
  if (settings.protocolVersion !== 4 && settings.protocolVersion !== 5) {
    throw new Error('the MQTT version must be 5 or 3.1.1');
  }
  if (settings.clientId.length === 0 || Buffer.byteLength(settings.clientId) > 256) {
    throw new Error('the client id must be 1 to 256 bytes long');
  }
  if (!Number.isInteger(settings.keepaliveSeconds) || settings.keepaliveSeconds < 0 || settings.keepaliveSeconds > 65535) {
    throw new Error('keepalive must be 0 to 65535 seconds');
  }
  // Certificates and the pin are read again for every connection; a mistake in them is reported now.
  normalisePin(settings.pin);
  parseCaCertificates(settings.extraCa);
  return settings;
}
