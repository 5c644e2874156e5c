import { strict as assert } from 'assert';
import * as fs from 'fs';
import * as path from 'path';
import { demoFlow, DEMO_TOKEN } from '../../../src/demo/demo-flow';

const EXAMPLE = path.resolve(__dirname, '../../../../examples/Flash, read and publish to flespi.json');

describe('demo flow', () => {
  const example = JSON.parse(fs.readFileSync(EXAMPLE, 'utf8')) as Array<Record<string, unknown>>;

  it('points the main example at the virtual board and the local broker', () => {
    const flow = demoFlow(example, { brokerPort: 18883, ca: 'CA PEM' });
    const byType = (type: string) => flow.filter((node) => node.type === type);
    assert.deepEqual(
      byType('esp8266-device').map((n) => n.port),
      ['sim:demo'],
    );
    const [broker] = byType('flespi-broker');
    assert.equal(broker.host, 'localhost');
    assert.equal(broker.port, 18883);
    assert.equal(broker.protocolVersion, 4);
    assert.deepEqual(broker.credentials, { token: DEMO_TOKEN, ca: 'CA PEM' });
    assert.equal(flow.length, example.length + 1);
  });

  it('puts the flow nodes on a tab of their own and keeps config nodes global', () => {
    const flow = demoFlow(example, { brokerPort: 1, ca: '' });
    const [tab] = flow.filter((n) => n.type === 'tab');
    assert.ok(tab);
    for (const node of flow.filter((n) => 'x' in n)) assert.equal(node.z, tab.id, `${String(node.type)} is on the demo tab`);
    for (const node of flow.filter((n) => n.type === 'flespi-broker' || n.type === 'esp8266-device')) assert.equal(node.z, undefined);
  });

  it('leaves the example itself untouched and its wiring intact', () => {
    const before = JSON.stringify(example);
    const flow = demoFlow(example, { brokerPort: 1, ca: '' });
    assert.equal(JSON.stringify(example), before);
    assert.deepEqual(
      flow.filter((n) => n.type !== 'tab').map((n) => [n.id, n.wires]),
      example.map((n) => [n.id, n.wires]),
    );
  });

  it('refuses an example that lacks a node the demo needs', () => {
    assert.throws(
      () =>
        demoFlow(
          example.filter((n) => n.type !== 'flespi-broker'),
          { brokerPort: 1, ca: '' },
        ),
      /no flespi-broker node/,
    );
  });
});
