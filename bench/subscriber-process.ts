/**
 * The benchmark's subscriber, in a process of its own so that reading what arrives does
 * not compete with the publisher under test. It reports `[run, seq, arrival ms]` triplets
 * (wall-clock ms from performance.timeOrigin) to its parent every 20 ms, with the CPU time
 * it has used so far, in microseconds.
 *
 * It speaks just enough MQTT 5 itself (CONNECT, SUBSCRIBE, then PUBLISH at QoS 0), skipping
 * each packet's properties by their length: a measuring instrument should cost little, and
 * the same whatever properties the publisher under test sends. A client library would
 * decode every property, and on two cores that time is taken from the publisher.
 */
import * as tls from 'tls';
import { performance } from 'perf_hooks';
import { writeVariableByteInteger } from '../src/flespi/publish-packet';

const [port, token, ca] = [Number(process.env.BENCH_PORT), process.env.BENCH_TOKEN ?? '', process.env.BENCH_CA ?? ''];
const TOPIC_FILTER = 'bench/#';
let batch: number[] = [];
let pending: Buffer = Buffer.alloc(0);
let subscribed = false;

function mqttString(text: string): Buffer {
  const bytes = Buffer.from(text, 'utf8');
  const length = Buffer.alloc(2);
  length.writeUInt16BE(bytes.length);
  return Buffer.concat([length, bytes]);
}

function packet(type: number, body: Buffer): Buffer {
  const fixedHeader = Buffer.alloc(5);
  fixedHeader[0] = type;
  const end = writeVariableByteInteger(fixedHeader, 1, body.length);
  return Buffer.concat([fixedHeader.subarray(0, end), body]);
}

/** CONNECT, MQTT 5 (OASIS MQTT 5.0, 3.1): clean start, user name, no keep-alive, no properties. */
const connect = packet(
  0x10,
  Buffer.concat([
    mqttString('MQTT'),
    Buffer.from([5, 0x82, 0, 0, 0]),
    mqttString(`bench-subscriber-${process.pid}`),
    mqttString(`FlespiToken ${token}`),
  ]),
);
/** SUBSCRIBE (3.8): packet id 1, no properties, the filter at QoS 0. */
const subscribe = packet(0x82, Buffer.concat([Buffer.from([0, 1, 0]), mqttString(TOPIC_FILTER), Buffer.from([0])]));

/** A Variable Byte Integer at `at`: its value and where it ends, or undefined if it is not all there. */
function variableByteInteger(buffer: Buffer, at: number): { value: number; end: number } | undefined {
  let value = 0;
  for (let i = 0; i < 4; i += 1) {
    if (at + i >= buffer.length) return undefined;
    const byte = buffer[at + i];
    value += (byte & 0x7f) * 128 ** i;
    if ((byte & 0x80) === 0) return { value, end: at + i + 1 };
  }
  throw new Error('malformed remaining length');
}

function onPublish(flags: number, body: Buffer): void {
  let at = 2 + body.readUInt16BE(0);
  if ((flags & 0x06) !== 0) at += 2;
  const properties = variableByteInteger(body, at);
  if (!properties) throw new Error('truncated PUBLISH');
  const { run, seq } = JSON.parse(body.toString('utf8', properties.end + properties.value)) as { run: number; seq: number };
  batch.push(run, seq, performance.timeOrigin + performance.now());
}

function onPacket(type: number, flags: number, body: Buffer): void {
  if (type === 3) onPublish(flags, body);
  else if (type === 2 && body[1] !== 0) throw new Error(`CONNACK refused: reason ${body[1]}`);
  else if (type === 9) {
    if (body[body.length - 1] >= 0x80) throw new Error(`SUBACK refused: reason ${body[body.length - 1]}`);
    subscribed = true;
    process.send?.({ ready: true });
    setInterval(report, 20);
  }
}

const socket = tls.connect({ host: 'localhost', port, ca, servername: 'localhost' }, () => {
  socket.setNoDelay(true);
  socket.write(Buffer.concat([connect, subscribe]));
});
socket.on('data', (chunk: Buffer) => {
  pending = pending.length === 0 ? chunk : Buffer.concat([pending, chunk]);
  let at = 0;
  for (;;) {
    const length = variableByteInteger(pending, at + 1);
    if (!length || length.end + length.value > pending.length) break;
    onPacket(pending[at] >> 4, pending[at] & 0x0f, pending.subarray(length.end, length.end + length.value));
    at = length.end + length.value;
  }
  pending = pending.subarray(at);
});
socket.on('error', (error: Error) => {
  console.error(`bench subscriber: ${error.message}`);
  process.exit(1);
});
socket.on('close', () => {
  if (!subscribed) console.error('bench subscriber: the broker closed the connection');
  process.exit(subscribed ? 0 : 1);
});

function report(): void {
  const cpu = process.cpuUsage();
  process.send?.({ arrivals: batch, cpuMicros: cpu.user + cpu.system });
  batch = [];
}

process.on('disconnect', () => process.exit(0));
