/**
 * An MQTT 3.1.1 broker with TLS on this machine (aedes), standing in for flespi:
 * it accepts the token as the username, with or without the `FlespiToken ` prefix.
 * With a `webSocketPath` it serves MQTT over WebSockets on an HTTPS server instead.
 */
import * as https from 'https';
import type { AddressInfo, Socket } from 'net';
import * as tls from 'tls';
import { KeyPair } from './local-pki';

export interface ReceivedMessage {
  topic: string;
  payload: Buffer;
  qos: number;
  retain: boolean;
}

export interface TlsBrokerOptions {
  server: KeyPair;
  /** The accepted token; undefined accepts any client. */
  token?: string;
  host?: string;
  port?: number;
  /** Keep every message in `received` (default true); listeners see them either way. */
  record?: boolean;
  /** Serve MQTT over WebSockets over TLS on this URL path (others get HTTP 400) rather than MQTT over TLS. */
  webSocketPath?: string;
}

export interface TlsBroker {
  readonly port: number;
  readonly received: ReceivedMessage[];
  /** CONNECT attempts seen, refused ones included. */
  readonly connectAttempts: number;
  /** Clients connected now. */
  readonly connectedClients: number;
  on(event: 'message', listener: (message: ReceivedMessage) => void): void;
  close(): Promise<void>;
}

export async function startTlsBroker(options: TlsBrokerOptions): Promise<TlsBroker> {
  // aedes is an ES module; this package compiles to CommonJS.
  const { Aedes } = await import('aedes');
  const broker = await Aedes.createBroker();
  const received: ReceivedMessage[] = [];
  const listeners: Array<(message: ReceivedMessage) => void> = [];
  let connectAttempts = 0;

  broker.authenticate = (_client, username, _password, callback) => {
    connectAttempts += 1;
    if (options.token === undefined) return callback(null, true);
    const bare = (username ?? '').replace(/^FlespiToken /, '');
    if (bare === options.token) return callback(null, true);
    const error = Object.assign(new Error('not authorized'), { returnCode: 5 });
    callback(error, false);
  };
  broker.on('publish', (packet, client) => {
    if (!client) return;
    const message = { topic: packet.topic, payload: Buffer.from(packet.payload), qos: packet.qos, retain: packet.retain };
    if (options.record !== false) received.push(message);
    for (const listener of listeners) listener(message);
  });

  const server =
    options.webSocketPath === undefined
      ? tls.createServer({ cert: options.server.cert, key: options.server.key }, broker.handle)
      : await webSocketServer(options.server, options.webSocketPath, broker.handle);
  await new Promise<void>((resolve, reject) => {
    server.once('error', reject);
    server.listen(options.port ?? 0, options.host ?? '127.0.0.1', () => resolve());
  });
  const sockets = new Set<Socket>();
  server.on('secureConnection', (socket: tls.TLSSocket) => {
    sockets.add(socket);
    socket.on('close', () => sockets.delete(socket));
  });

  return {
    port: (server.address() as AddressInfo).port,
    received,
    get connectAttempts() {
      return connectAttempts;
    },
    get connectedClients() {
      return broker.connectedClients;
    },
    on: (_event, listener) => {
      listeners.push(listener);
    },
    close: () =>
      new Promise<void>((resolve) => {
        for (const socket of sockets) socket.destroy();
        server.close(() => broker.close(() => resolve()));
      }),
  };
}

/** An HTTPS server whose WebSocket upgrades on `path` (subprotocol `mqtt`) carry MQTT to `handle`. */
async function webSocketServer(server: KeyPair, path: string, handle: (stream: import('stream').Duplex) => void): Promise<https.Server> {
  // A development dependency of the demo only, like aedes.
  const { WebSocketServer, createWebSocketStream } = await import('ws');
  const httpsServer = https.createServer({ cert: server.cert, key: server.key });
  const webSockets = new WebSocketServer({
    server: httpsServer,
    path,
    handleProtocols: (offered) => (offered.has('mqtt') ? 'mqtt' : false),
  });
  webSockets.on('connection', (socket) => handle(createWebSocketStream(socket)));
  httpsServer.on('close', () => webSockets.close());
  return httpsServer;
}
