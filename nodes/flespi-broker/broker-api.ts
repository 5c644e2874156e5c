/** What the flespi-broker config node offers the nodes that use it, and how its settings are read. */
import type { Node, NodeDef } from 'node-red';
import { randomBytes } from 'crypto';
import type { FlespiConnection } from '../../src/flespi/connection';
import { BrokerSettings } from '../../src/flespi/settings';
import { brokerAddress } from '../../src/flespi/transport';
import {
  checkBrokerHost,
  checkBrokerPort,
  checkBufferMegabytes,
  checkBufferMessages,
  checkClientId,
  checkKeepalive,
  checkPin,
  checkStatusTopic,
  checkTransport,
  checkWsPath,
  enforce,
} from '../../src/field-rules';

export interface FlespiBrokerDef extends NodeDef {
  host: string;
  port: number | string;
  protocolVersion: number | string;
  clientId: string;
  keepalive: number | string;
  pin: string;
  bufferMessages: number | string;
  bufferMegabytes: number | string;
  /** Where waiting messages are kept: `disk` (the default) or `memory`. */
  buffer?: string;
  /** `online`/`offline` go here; blank or absent: off. */
  statusTopic?: string;
  /** `tls` (the default) or `wss`. */
  transport?: string;
  /** The WebSocket URL path; blank takes flespi's. */
  wsPath?: string;
}

export interface FlespiBrokerCredentials {
  token?: string;
  ca?: string;
}

export interface FlespiBrokerNode extends Node<FlespiBrokerCredentials> {
  /** Registers a user of the connection, starting it for the first one. Throws if the settings are unusable. */
  acquire(user: Node): FlespiConnection;
  /** Unregisters a user; the last one out closes the connection, keeping unconfirmed messages queued. */
  release(user: Node): Promise<void>;
}

/** Node-RED's editor sends this in place of a password credential the user did not change. */
export const UNCHANGED_PASSWORD = '__PWRD__';

/**
 * The connection settings of a broker node. Throws a RuleError for the first value the edit dialog
 * refuses; a blank keepalive or buffer size takes its default, as the dialog's help says.
 */
export function brokerSettings(config: FlespiBrokerDef, credentials: FlespiBrokerCredentials): BrokerSettings {
  const blank = (value: unknown) => value === '' || value === undefined || value === null;
  const number = (value: number | string | undefined, fallback: number) => (blank(value) ? fallback : Number(value));
  enforce(checkTransport(config.transport));
  const address = brokerAddress(config);
  enforce(checkBrokerHost(address.host));
  enforce(checkBrokerPort(blank(config.port) ? address.port : config.port));
  enforce(checkStatusTopic(config.statusTopic ?? ''));
  enforce(checkWsPath(config.wsPath));
  enforce(checkClientId(config.clientId));
  enforce(checkPin(config.pin));
  if (!blank(config.keepalive)) enforce(checkKeepalive(config.keepalive));
  if (!blank(config.bufferMessages)) enforce(checkBufferMessages(config.bufferMessages));
  if (!blank(config.bufferMegabytes)) enforce(checkBufferMegabytes(config.bufferMegabytes));
  return {
    host: address.host,
    port: address.port,
    protocolVersion: number(config.protocolVersion, 5) === 4 ? 4 : 5,
    clientId: (config.clientId || '').trim() || `nodered-flespi-${config.id}-${randomBytes(3).toString('hex')}`,
    keepaliveSeconds: number(config.keepalive, 60),
    token: credentials.token ?? '',
    extraCa: credentials.ca,
    pin: config.pin,
    outbox: {
      maxMessages: number(config.bufferMessages, 10_000),
      maxBytes: number(config.bufferMegabytes, 16) * 1024 * 1024,
    },
    transport: address.transport,
    ...(address.wsPath ? { wsPath: address.wsPath } : {}),
    ...(config.statusTopic ? { statusTopic: config.statusTopic } : {}),
  };
}
