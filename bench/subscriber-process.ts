/**
 * The benchmark's subscriber, in a process of its own so that parsing what arrives does
 * not compete with the publisher under test. It reports `[run, seq, arrival ms]` triplets
 * (wall-clock ms from performance.timeOrigin) to its parent in batches.
 */
import * as mqtt from 'mqtt';
import { performance } from 'perf_hooks';

const [port, token, ca] = [Number(process.env.BENCH_PORT), process.env.BENCH_TOKEN ?? '', process.env.BENCH_CA ?? ''];
const client = mqtt.connect({ protocol: 'mqtts', host: 'localhost', port, ca, username: `FlespiToken ${token}`, protocolVersion: 5, reconnectPeriod: 0 });
let batch: number[] = [];

client.on('message', (_topic, payload) => {
  const { run, seq } = JSON.parse(payload.toString()) as { run: number; seq: number };
  batch.push(run, seq, performance.timeOrigin + performance.now());
});
client.on('connect', () => {
  client.subscribeAsync('bench/#', { qos: 0 }).then(
    () => process.send?.({ ready: true }),
    (error: Error) => {
      console.error(`bench subscriber: ${error.message}`);
      process.exit(1);
    },
  );
});
setInterval(() => {
  if (batch.length === 0) return;
  process.send?.({ arrivals: batch });
  batch = [];
}, 20);
process.on('disconnect', () => process.exit(0));
