import { strict as assert } from 'assert';
import * as fs from 'fs';
import * as os from 'os';
import * as path from 'path';
import helper from 'node-red-node-test-helper';
import { translatingCatalogs } from '../../support/catalogs';
import { startTlsBroker, TlsBroker } from '../../../src/demo/tls-broker';
import { freePort } from '../../support/free-port';
import { testPki, TestPki } from '../../support/pki';
import { waitUntil } from '../../support/wait';

import brokerNode from '../../../nodes/flespi-broker/flespi-broker';
import outNode from '../../../nodes/flespi-mqtts-out/flespi-mqtts-out';

helper.init(require.resolve('node-red'));

const TOKEN = 'S'.repeat(64);

type Calls<T> = { args: Array<[T]> };

describe('flespi-broker Buffer setting (node, user directory)', function () {
  let pki: TestPki;
  let broker: TlsBroker | undefined;
  let userDir: string;

  before(async () => {
    pki = await testPki();
  });

  beforeEach(() => {
    userDir = fs.mkdtempSync(path.join(os.tmpdir(), 'buffer-setting-'));
    helper.settings({ userDir });
    return helper.startServer();
  });

  afterEach(async function () {
    await helper.unload();
    await helper.stopServer();
    // The helper is shared by every test file: later ones must not write stores here.
    helper.settings({ userDir: undefined });
    await broker?.close();
    broker = undefined;
    fs.rmSync(userDir, { recursive: true, force: true });
  });

  const flow = (port: number, buffer: string) => [
    { id: 'tab', type: 'tab', label: 'test' },
    {
      id: 'b1',
      type: 'flespi-broker',
      z: 'tab',
      host: 'localhost',
      port,
      protocolVersion: 4,
      clientId: '',
      keepalive: 30,
      pin: '',
      bufferMessages: 100,
      bufferMegabytes: 1,
      buffer,
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
  ];
  const credentials = () => ({ b1: { token: TOKEN, ca: pki.ca.cert } });
  const reading = { ident: '28-0316a27950ff', timestamp: 1764000000.5, temperature: 21.5 };
  const store = () => path.join(userDir, 'flespi-outbox', 'b1');

  it('on disk: what waits for a broker that is down is in the store folder named after the config', async () => {
    await helper.load([translatingCatalogs, brokerNode, outNode], flow(await freePort(), 'disk'), credentials());
    helper.getNode('out').receive({ payload: reading });
    await waitUntil(
      () => fs.existsSync(store()) && fs.readdirSync(store()).some((name) => fs.statSync(path.join(store(), name)).size > 0),
      5000,
      'a segment with the reading',
    );
  });

  it('in memory only: nothing is written under the user directory', async () => {
    broker = await startTlsBroker({ server: pki.server, token: TOKEN });
    await helper.load([translatingCatalogs, brokerNode, outNode], flow(broker.port, 'memory'), credentials());
    helper.getNode('out').receive({ payload: reading });
    await waitUntil(() => broker!.received.length === 1, 5000, 'the reading at the broker');
    assert.equal(fs.existsSync(path.join(userDir, 'flespi-outbox')), false);
  });

  it('a store that cannot be made: one warning, a yellow status on the out node, and the reading still goes out', async () => {
    fs.writeFileSync(path.join(userDir, 'flespi-outbox'), 'a file where the folder should be');
    broker = await startTlsBroker({ server: pki.server, token: TOKEN });
    await helper.load([translatingCatalogs, brokerNode, outNode], flow(broker.port, 'disk'), credentials());
    const out = helper.getNode('out');
    out.receive({ payload: reading });
    await waitUntil(() => broker!.received.length === 1, 5000, 'the reading at the broker');
    const statuses = () => (out.status as unknown as Calls<{ fill?: string; text?: string }>).args.map((a) => a[0]);
    await waitUntil(
      () => statuses().some((s) => s.fill === 'yellow' && /^connected, buffer in memory only \(E\w+\)$/.test(s.text ?? '')),
      5000,
      'the yellow status',
    );
    const warnings = (helper.getNode('b1').warn as unknown as Calls<string>).args.map((a) => a[0]);
    assert.equal(warnings.filter((w) => w.startsWith('the offline buffer cannot be written to disk')).length, 1, warnings.join('\n'));
  });
});
