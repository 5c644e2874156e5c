/**
 * MQTT over WebSockets over TLS (OASIS MQTT 5.0, section 6): MQTT.js's own WebSocket stream, given
 * the same verified TLS options as the direct TLS socket (src/flespi/tls.ts) and one change to how
 * it writes.
 *
 * MQTT.js wraps a `ws` WebSocket in `ws`'s createWebSocketStream, whose stream sends every write as
 * one WebSocket frame and takes the next write only once the socket has taken the last. It has no
 * writev: the PUBLISH packets a pass of the sender writes (src/flespi/publish-sender.ts) would each
 * become a frame and a TLS write of their own. Here the stream gets a writev that joins what is
 * waiting into one buffer, so a pass leaves as one frame in one TLS write, as it does over plain
 * TLS. MQTT packets need not align with frames (section 6.0, "A single WebSocket data frame can
 * contain multiple or partial MQTT Control Packets"). `npm run bench -- publish` compares the two.
 */
import type { RequestOptions } from 'https';
import * as net from 'net';
import type { Duplex } from 'stream';
import type { IClientOptions, MqttClient } from 'mqtt';
import { streamBuilder } from 'mqtt/lib/connect/ws';
import { BrokerSettings } from './settings';
import { DEFAULT_WS_PATH } from './transport';
import { VerifiedTlsOptions } from './tls';

const UNEXPECTED_RESPONSE = /^Unexpected server response: (\d{3})$/;
const UPGRADE_REFUSED = 'FLESPI_WEBSOCKET_UPGRADE_REFUSED';

/** What the broker may send in one frame: CONNACK, PUBACKs, PINGRESP, DISCONNECT; never a reading. */
const MAX_INCOMING_FRAME = 1024 * 1024;

interface WriteRequest {
  chunk: Buffer;
}

/** The stream MQTT.js speaks MQTT over, for one connection attempt. */
export function openWebSocketStream(
  client: MqttClient,
  settings: BrokerSettings,
  tlsOptions: VerifiedTlsOptions,
  connectTimeoutMs: number,
): Duplex {
  const wsOptions: WebSocketOptions = {
    // `ws` hands these to tls.connect, with the URL's host name for SNI (none for an address).
    ...tlsOptions,
    // Readings are small: compressing each frame would cost CPU to save a few bytes.
    perMessageDeflate: false,
    followRedirects: false,
    handshakeTimeout: connectTimeoutMs,
    maxPayload: MAX_INCOMING_FRAME,
  };
  const options: IClientOptions = {
    protocol: 'wss',
    hostname: urlHost(settings.host),
    port: settings.port,
    path: settings.wsPath || DEFAULT_WS_PATH,
    protocolVersion: settings.protocolVersion,
    wsOptions,
  };
  const stream = streamBuilder(client, options) as Duplex & { _writev?: unknown };
  // MQTT.js passes on only stream errors with a code; `ws` gives a refused upgrade none.
  stream.on('error', (error: NodeJS.ErrnoException) => {
    if (error.code === undefined && UNEXPECTED_RESPONSE.test(error.message)) error.code = UPGRADE_REFUSED;
  });
  stream._writev = function writeJoined(this: Duplex, requests: WriteRequest[], callback: (error?: Error | null) => void) {
    const joined = requests.length === 1 ? requests[0].chunk : Buffer.concat(requests.map((request) => request.chunk));
    this._write(joined, 'buffer' as BufferEncoding, callback);
  };
  return stream;
}

/** What `ws` takes: its own options, and the request's, which it hands on to tls.connect. */
type WebSocketOptions = RequestOptions & {
  perMessageDeflate: boolean;
  followRedirects: boolean;
  handshakeTimeout: number;
  maxPayload: number;
};

/** An IPv6 address goes in brackets in a URL; `ws` takes them off again to connect. */
function urlHost(host: string): string {
  const bare = host.replace(/^\[(.*)\]$/, '$1');
  return net.isIPv6(bare) ? `[${bare}]` : bare;
}

/**
 * Why the WebSocket handshake failed, when the server answered with something other than an
 * upgrade: a 4xx (a wrong path, a server that serves no MQTT there) will not change by retrying.
 */
export function describeWebSocketError(error: unknown, where: string): { reason: string; fatal: boolean } | undefined {
  if ((error as NodeJS.ErrnoException | undefined)?.code !== UPGRADE_REFUSED) return undefined;
  const status = UNEXPECTED_RESPONSE.exec((error as Error).message)?.[1];
  if (status === undefined) return undefined;
  const code = Number(status);
  const fatal = code >= 400 && code < 500 && code !== 408 && code !== 429;
  return { reason: `${where} answered HTTP ${code} instead of MQTT over WebSockets: check the port and the WebSocket path`, fatal };
}
