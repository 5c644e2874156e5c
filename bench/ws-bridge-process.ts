/**
 * MQTT over WebSockets over TLS in front of the benchmark's mosquitto, whose own websockets
 * listener does not start on these machines: an HTTPS server that takes each WebSocket
 * (subprotocol `mqtt`, path `/mqtt`) and carries its bytes both ways over a TLS connection to
 * mosquitto. It runs in a process of its own, like the subscriber, so that the publisher under
 * test pays only for its side of the WebSocket. Reports its port to the parent once listening.
 */
import * as https from 'https';
import type { AddressInfo } from 'net';
import * as tls from 'tls';
import { WebSocketServer } from 'ws';

const [target, ca, cert, key] = [
  Number(process.env.BENCH_PORT),
  process.env.BENCH_CA ?? '',
  process.env.BENCH_CERT ?? '',
  process.env.BENCH_KEY ?? '',
];

const server = https.createServer({ cert, key });
const webSockets = new WebSocketServer({
  server,
  path: '/mqtt',
  perMessageDeflate: false,
  handleProtocols: (offered) => (offered.has('mqtt') ? 'mqtt' : false),
});
webSockets.on('connection', (socket) => {
  const broker = tls.connect({ host: 'localhost', port: target, ca }).setNoDelay(true);
  // Bytes from the client before mosquitto's TLS is up wait in the TLS socket's buffer.
  socket.on('message', (data: Buffer) => broker.write(data));
  broker.on('data', (data: Buffer) => socket.send(data));
  socket.on('close', () => broker.destroy());
  broker.on('close', () => socket.close());
  broker.on('error', () => socket.terminate());
});
server.listen(0, '127.0.0.1', () => process.send?.({ port: (server.address() as AddressInfo).port }));
