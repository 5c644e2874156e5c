/** An MQTT client that records what arrives at a broker, to check what a publisher delivered. */
import * as mqtt from 'mqtt';

export interface Delivered {
  topic: string;
  payload: string;
  qos: number;
  retain: boolean;
  properties?: mqtt.IPublishPacket['properties'];
}

export interface Subscriber {
  readonly messages: Delivered[];
  /** Resolves once `count` messages have arrived, or rejects after `timeoutMs`. */
  waitFor(count: number, timeoutMs?: number): Promise<Delivered[]>;
  close(): Promise<void>;
}

export async function subscribe(options: {
  port: number;
  ca: string;
  token: string;
  topic?: string;
  protocolVersion?: 4 | 5;
}): Promise<Subscriber> {
  const client = mqtt.connect({
    protocol: 'mqtts',
    host: 'localhost',
    port: options.port,
    ca: options.ca,
    username: `FlespiToken ${options.token}`,
    protocolVersion: options.protocolVersion ?? 5,
    reconnectPeriod: 0,
    clientId: `subscriber-${process.pid}-${Math.random().toString(16).slice(2, 8)}`,
  });
  await new Promise<void>((resolve, reject) => {
    client.once('connect', () => resolve());
    client.once('error', reject);
  });
  const messages: Delivered[] = [];
  const waiters = new Set<() => void>();
  client.on('message', (topic, payload, packet) => {
    messages.push({ topic, payload: payload.toString(), qos: packet.qos, retain: packet.retain, properties: packet.properties });
    for (const waiter of waiters) waiter();
  });
  await client.subscribeAsync(options.topic ?? '#', { qos: 1 });
  return {
    messages,
    waitFor: (count, timeoutMs = 10_000) =>
      new Promise((resolve, reject) => {
        const check = () => {
          if (messages.length < count) return;
          clearTimeout(timer);
          waiters.delete(check);
          resolve(messages);
        };
        const timer = setTimeout(() => {
          waiters.delete(check);
          reject(new Error(`expected ${count} messages, got ${messages.length}`));
        }, timeoutMs);
        waiters.add(check);
        check();
      }),
    close: () => client.endAsync(true),
  };
}
