/** What the broker's CONNACK tells us: refusals that retrying cannot fix, and the limits to respect. */

/**
 * CONNACK codes meaning the credentials are refused: 4 and 5 in MQTT 3.1.1;
 * 134 bad user name or password, 135 not authorized, 138 banned, 140 bad
 * authentication method in MQTT 5 (OASIS MQTT 5.0, 3.2.2.2).
 */
const AUTHORIZATION_REFUSALS = new Set([4, 5, 134, 135, 138, 140]);

export function isAuthorizationRefusal(code: unknown): boolean {
  return typeof code === 'number' && AUTHORIZATION_REFUSALS.has(code);
}

/** The limits a broker may announce in its MQTT 5 CONNACK. Undefined means no limit was announced. */
export interface ServerLimits {
  maximumQoS: 0 | 1 | 2;
  maximumPacketSize?: number;
  topicAliasMaximum: number;
  receiveMaximum: number;
  retainAvailable: boolean;
}

export const UNLIMITED: ServerLimits = {
  maximumQoS: 2,
  topicAliasMaximum: 0,
  receiveMaximum: 65535,
  retainAvailable: true,
};

interface ConnackProperties {
  maximumQoS?: number;
  maximumPacketSize?: number;
  topicAliasMaximum?: number;
  receiveMaximum?: number;
  retainAvailable?: boolean;
}

export function limitsFromConnack(properties: ConnackProperties | undefined): ServerLimits {
  if (!properties) return UNLIMITED;
  return {
    maximumQoS: properties.maximumQoS === 0 || properties.maximumQoS === 1 ? properties.maximumQoS : 2,
    maximumPacketSize: properties.maximumPacketSize,
    topicAliasMaximum: properties.topicAliasMaximum ?? 0,
    receiveMaximum: properties.receiveMaximum ?? 65535,
    retainAvailable: properties.retainAvailable !== false,
  };
}
