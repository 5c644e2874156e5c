/** Turns what went wrong with a broker connection into a reason a user can act on. */
import { isAuthorizationRefusal } from './connack';
import { describeTlsError } from './tls';
import { describeWebSocketError } from './websocket-stream';

export interface Failure {
  reason: string;
  /** Retrying cannot help: the token or the certificate must change first. */
  fatal: boolean;
}

export const NOT_AUTHORIZED = 'not authorized: check the token';

const NETWORK_REASONS: Record<string, (where: string) => string> = {
  ECONNREFUSED: (where) => `connection refused by ${where}`,
  ENOTFOUND: (where) => `host not found: ${where}`,
  EAI_AGAIN: (where) => `cannot resolve ${where} (DNS)`,
  ETIMEDOUT: (where) => `no answer from ${where}`,
  EHOSTUNREACH: (where) => `${where} is unreachable`,
  ENETUNREACH: (where) => `no network route to ${where}`,
  ECONNRESET: (where) => `${where} closed the connection`,
};

export function describeFailure(error: unknown, where: string): Failure {
  const code = (error as { code?: unknown } | undefined)?.code;
  if (isAuthorizationRefusal(code)) return { reason: NOT_AUTHORIZED, fatal: true };
  const tlsReason = describeTlsError(error);
  if (tlsReason) return { reason: tlsReason, fatal: true };
  const webSocketFailure = describeWebSocketError(error, where);
  if (webSocketFailure) return webSocketFailure;
  if (code === 1 || code === 132) {
    return { reason: 'the broker refuses this MQTT version: choose the other one', fatal: true };
  }
  if (code === 2 || code === 133) return { reason: 'the broker refuses the client id', fatal: true };
  if (typeof code === 'string' && NETWORK_REASONS[code]) return { reason: NETWORK_REASONS[code](where), fatal: false };
  const message = error instanceof Error ? error.message : String(error);
  if (/connack timeout|connection timeout/i.test(message)) return { reason: `no answer from ${where}`, fatal: false };
  return { reason: message.replace(/^Connection refused: /, 'refused: ').toLowerCase(), fatal: false };
}

/** MQTT 5 reason code of a server DISCONNECT when another client took over the session (OASIS MQTT 5.0, 3.14.2.1). */
const SESSION_TAKEN_OVER = 0x8e;

/** Why the broker closed a connection with an MQTT 5 DISCONNECT. */
export function describeServerDisconnect(reasonCode: number | undefined, reasonString?: string): Failure {
  if (reasonCode === SESSION_TAKEN_OVER) {
    return { reason: 'another client with the same client id took over the session', fatal: false };
  }
  return { reason: `the broker disconnected (reason ${reasonCode ?? 0}${reasonString ? `: ${reasonString}` : ''})`, fatal: false };
}
