import { strict as assert } from 'assert';
import helper from 'node-red-node-test-helper';
import type { FlespiBrokerNode } from '../../../nodes/flespi-broker/broker-api';
import { freePort } from '../../support/free-port';
import { waitUntil } from '../../support/wait';
import { translatingCatalogs } from '../../support/catalogs';

import brokerNode from '../../../nodes/flespi-broker/flespi-broker';
import outNode from '../../../nodes/flespi-mqtts-out/flespi-mqtts-out';
const catchNode: unknown = require('@node-red/nodes/core/common/25-catch'); // eslint-disable-line @typescript-eslint/no-require-imports -- a Node-RED core node: plain JavaScript, no types
const completeNode: unknown = require('@node-red/nodes/core/common/24-complete'); // eslint-disable-line @typescript-eslint/no-require-imports -- a Node-RED core node: plain JavaScript, no types

helper.init(require.resolve('node-red'));

interface Seen {
  _msgid?: string;
  topic?: string;
  payload?: unknown;
  hasRaw: boolean;
  error?: { message: string };
}

describe('flespi-mqtts-out completion without Pass on', function () {
  this.timeout(20_000);

  beforeEach(() => helper.startServer());

  afterEach(async () => {
    await helper.unload();
    await helper.stopServer();
  });

  /** The broker is down: nothing listens on its port. */
  async function load(bufferMessages: number) {
    const port = await freePort();
    await helper.load(
      [translatingCatalogs, brokerNode, outNode, catchNode, completeNode],
      [
        { id: 'tab', type: 'tab', label: 'test' },
        {
          id: 'b1',
          type: 'flespi-broker',
          z: 'tab',
          host: '127.0.0.1',
          port,
          protocolVersion: 5,
          clientId: '',
          keepalive: 30,
          pin: '',
          bufferMessages,
          bufferMegabytes: 1,
          buffer: 'memory',
        },
        {
          id: 'out',
          type: 'flespi-mqtts-out',
          z: 'tab',
          x: 100,
          y: 100,
          broker: 'b1',
          topic: 'sensors/{{ident}}/temperature',
          qos: 1,
          retain: false,
          outputs: 0,
          wires: [],
        },
        { id: 'complete', type: 'complete', z: 'tab', x: 100, y: 200, scope: ['out'], uncaught: false, wires: [['completed']] },
        { id: 'completed', type: 'helper', z: 'tab', x: 300, y: 200 },
        { id: 'catch', type: 'catch', z: 'tab', x: 100, y: 300, scope: ['out'], uncaught: false, wires: [['caught']] },
        { id: 'caught', type: 'helper', z: 'tab', x: 300, y: 300 },
      ],
      { b1: { token: 'T'.repeat(64) } },
    );
    const probe = { id: 'test-probe' } as never;
    const connection = (helper.getNode('b1') as unknown as FlespiBrokerNode).acquire(probe);
    return { out: helper.getNode('out'), connection, completed: collect('completed'), caught: collect('caught') };
  }

  function collect(id: string): Seen[] {
    const seen: Seen[] = [];
    // What was seen, not the message itself: holding it would keep what the node under test should let go.
    (helper.getNode(id) as unknown as NodeJS.EventEmitter).on('input', (msg: Seen & { raw?: unknown }) => {
      seen.push({ _msgid: msg._msgid, topic: msg.topic, payload: msg.payload, hasRaw: msg.raw !== undefined, error: msg.error });
    });
    return seen;
  }

  it('completes a message once the offline buffer has it, while it still waits for the broker', async () => {
    const { out, connection, completed, caught } = await load(10);
    out.receive({ _msgid: 'm1', payload: { ident: '28-a', temperature: 21.5 }, raw: 'r'.repeat(2048) });
    await waitUntil(() => completed.length === 1, 5000, 'the message to complete');
    assert.equal(connection.waiting, 1, 'it still waits for the broker');
    assert.equal(completed[0]._msgid, 'm1');
    assert.equal(completed[0].hasRaw, true, 'the Complete node sees the message as it came');
    assert.deepEqual(caught, []);
  });

  it('tells Catch nodes of a later failure with the message id and topic, after one completion', async () => {
    const { out, completed, caught } = await load(1);
    out.receive({ _msgid: 'first', payload: { ident: '28-a', temperature: 21.5 }, raw: 'x'.repeat(100) });
    await waitUntil(() => completed.length === 1, 5000, 'the first message to complete');
    out.receive({ _msgid: 'second', payload: { ident: '28-b', temperature: 22 } });
    await waitUntil(() => caught.length === 1, 5000, 'the dropped message at the Catch node');
    assert.equal(caught[0]._msgid, 'first');
    assert.equal(caught[0].topic, 'sensors/28-a/temperature');
    assert.equal(caught[0].payload, undefined, 'a waiting message keeps only its id and topic');
    assert.equal(caught[0].hasRaw, false);
    assert.match(caught[0].error?.message ?? '', /dropped|full/i);
    await waitUntil(() => completed.length === 2, 5000, 'the second message to complete');
    assert.deepEqual(
      completed.map((m) => m._msgid),
      ['first', 'second'],
      'each message completes once',
    );
    assert.equal(caught.length, 1);
  });

  it('fails a message the buffer refuses at once with done(err), never completing it', async () => {
    const { out, completed, caught } = await load(10);
    out.receive({ _msgid: 'big', payload: 'x'.repeat(2 * 1024 * 1024), topic: 'big' });
    await waitUntil(() => caught.length === 1, 5000, 'the refused message at the Catch node');
    assert.equal(caught[0]._msgid, 'big');
    assert.equal(caught[0].payload, 'x'.repeat(2 * 1024 * 1024), 'refused at once, the whole msg goes to Catch');
    assert.deepEqual(completed, []);
  });
});
