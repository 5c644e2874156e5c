// Shared pieces of the esp8266-flash node tests.
import type { EventEmitter } from 'node:events';
import helper from 'node-red-node-test-helper';

export type TestNode = { on(event: string, cb: (arg: any) => void): void; receive(msg: object): void };

export interface CommsEvent {
  topic: string;
  data: { phase: string; percent?: number; error?: string };
}

/** Messages the runtime publishes to the editor (RED.comms.publish). */
export function recordComms(): { events: CommsEvent[]; stop(): void } {
  const runtimeEvents = (helper as unknown as { _events: EventEmitter })._events;
  const events: CommsEvent[] = [];
  const listener = (event: CommsEvent) => {
    if (event.topic.startsWith('esp8266-flash/')) events.push(event);
  };
  runtimeEvents.on('comms', listener);
  return { events, stop: () => runtimeEvents.off('comms', listener) };
}

export function nextMessage(node: TestNode, timeoutMs = 30000): Promise<any> {
  return new Promise((resolve, reject) => {
    const timer = setTimeout(() => reject(new Error('no message arrived')), timeoutMs);
    node.on('input', (msg: any) => {
      clearTimeout(timer);
      resolve(msg);
    });
  });
}

/** The error a catch node receives (done(err) of the node under test). */
export function nextCaught(catchSink: TestNode, timeoutMs = 30000): Promise<{ message: string; source?: { id: string } }> {
  return nextMessage(catchSink, timeoutMs).then((msg) => msg.error);
}

export function statuses(node: unknown): Array<{ fill?: string; text?: string }> {
  const spy = (node as { status: { args: Array<[{ fill?: string; text?: string }]> } }).status;
  return spy.args.map((args) => args[0]);
}
