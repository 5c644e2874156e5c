/**
 * Memory: what 100,000 readings waiting offline cost, within the configured byte bound.
 * (Node-RED's resident memory with and without the package is measured by spawning it.)
 */
import { FlespiConnection } from '../src/flespi/connection';
import { createCertificateAuthority } from '../src/demo/local-pki';
import { freePort } from '../test/support/mosquitto';
import { BenchTable } from './table';

const BUFFERED = 100_000;
const MB = 1024 * 1024;

export async function memoryBench(): Promise<BenchTable[]> {
  const ca = await createCertificateAuthority('bench CA');
  const port = await freePort(); // nothing listens: the broker is "down"
  global.gc?.();
  const before = process.memoryUsage();
  const connection = new FlespiConnection({
    host: 'localhost', port, protocolVersion: 5, clientId: 'memory-bench', keepaliveSeconds: 60, token: 'x', extraCa: ca.cert,
    outbox: { maxMessages: BUFFERED, maxBytes: 64 * MB }, backoff: { initialMs: 60_000, maxMs: 60_000 },
  });
  const pending: Array<Promise<void>> = [];
  for (let seq = 0; seq < BUFFERED; seq += 1) {
    const reading = { ident: '28-0316a27950ff', timestamp: Date.now() / 1000, temperature: 21.4375, resolution: 12, power: 'external', seq };
    pending.push(connection.publish({ topic: 'sensors/28-0316a27950ff/temperature', payload: Buffer.from(JSON.stringify(reading)), qos: 1, retain: false }).catch(() => undefined));
  }
  global.gc?.();
  const after = process.memoryUsage();
  const waiting = connection.waiting;
  await connection.close();
  await Promise.all(pending);
  return [{
    title: 'Memory with 100,000 readings buffered offline',
    columns: ['readings waiting', 'buffer bound', 'JS heap growth MB', 'Buffer memory growth MB'],
    rows: [[waiting, '100000 messages / 64 MB', ((after.heapUsed - before.heapUsed) / MB).toFixed(1), ((after.arrayBuffers - before.arrayBuffers) / MB).toFixed(1)]],
    note: 'Each reading is about 130 bytes of JSON on a 38-byte topic; the growth includes the promise and bookkeeping per message.',
  }];
}
