import { strict as assert } from 'assert';
import helper from 'node-red-node-test-helper';
import readNode from '../../../nodes/ds18b20-read/ds18b20-read';
import deviceNode from '../../../nodes/esp8266-device/esp8266-device';
import flashNode from '../../../nodes/esp8266-flash/esp8266-flash';
import { getVirtualBoard, resetVirtualBoards } from '../../../src/sim/host/registry';
import { setDefaultSensors } from '../../../src/sim/onewire/sensor-bus';
import { startTlsBroker, TlsBroker } from '../../../src/demo/tls-broker';
import { testPki } from '../../support/pki';
import { waitUntil } from '../../support/wait';
import { translatingCatalogs } from '../../support/catalogs';

import brokerNode from '../../../nodes/flespi-broker/flespi-broker';
import outNode from '../../../nodes/flespi-mqtts-out/flespi-mqtts-out';

helper.init(require.resolve('node-red'));

const TOKEN = 'P'.repeat(64);
const A = '28-0316a27950ff';
const B = '28-0416b3c4d5e6';

type Emitter = { on(event: string, cb: (arg: any) => void): void; receive(msg: object): void };

describe('pipeline on a virtual board: flash → DS18B20 read → flespi MQTTS out', function () {
  let broker: TlsBroker | undefined;

  beforeEach(() => helper.startServer());

  afterEach(async () => {
    await helper.unload();
    await helper.stopServer();
    await broker?.close();
    broker = undefined;
    resetVirtualBoards();
    setDefaultSensors({});
  });

  it('flashes the bundled bridge onto an empty board, then its readings reach the TLS broker', async () => {
    const pki = await testPki();
    broker = await startTlsBroker({ server: pki.server, token: TOKEN });
    setDefaultSensors({
      sensors: [
        { ident: A, temperature: 21.5 },
        { ident: B, temperature: 4.25 },
      ],
    });
    const board = getVirtualBoard('pipeline');
    const flow = [
      { id: 'tab', type: 'tab', label: 'pipeline' },
      { id: 'dev', type: 'esp8266-device', z: 'tab', port: 'sim:pipeline', baud: 115200, reset: 'auto' },
      {
        id: 'b1',
        type: 'flespi-broker',
        z: 'tab',
        host: 'localhost',
        port: broker.port,
        protocolVersion: 4,
        clientId: '',
        keepalive: 30,
        pin: '',
        bufferMessages: 100,
        bufferMegabytes: 1,
      },
      {
        id: 'flash',
        type: 'esp8266-flash',
        z: 'tab',
        x: 100,
        y: 50,
        device: 'dev',
        firmware: 'bundled',
        file: '',
        flashBaud: 460800,
        eraseAll: false,
        verify: true,
        wires: [['flashed']],
      },
      { id: 'flashed', type: 'helper', z: 'tab', x: 300, y: 50 },
      {
        id: 'read',
        type: 'ds18b20-read',
        z: 'tab',
        x: 100,
        y: 100,
        source: 'esp8266',
        device: 'dev',
        interval: 1000,
        output: 'each',
        unit: 'C',
        sensors: [{ ident: A, name: 'Boiler' }],
        wires: [['out']],
      },
      {
        id: 'out',
        type: 'flespi-mqtts-out',
        z: 'tab',
        x: 300,
        y: 100,
        broker: 'b1',
        topic: 'sensors/{{ident}}/temperature',
        qos: 1,
        retain: false,
        wires: [],
      },
    ];
    await helper.load([translatingCatalogs, deviceNode, flashNode, readNode, brokerNode, outNode], flow, {
      b1: { token: TOKEN, ca: pki.ca.cert },
    });

    const read = helper.getNode('read') as unknown as Emitter;
    const statuses: string[] = [];
    read.on('call:status', (call: { args: [{ text?: string }] }) => statuses.push(call.args[0]?.text ?? ''));
    await waitUntil(() => statuses.includes('no bridge firmware'), 8000, 'the read node to notice the empty board');

    const flashed = new Promise<void>((resolve) => (helper.getNode('flashed') as unknown as Emitter).on('input', () => resolve()));
    const flashErrors: string[] = [];
    (helper.getNode('flash') as unknown as Emitter).on('call:error', (call: { args: [unknown] }) => flashErrors.push(String(call.args[0])));
    (helper.getNode('flash') as unknown as Emitter).receive({ payload: 'flash' });
    await Promise.race([flashed, waitUntil(() => flashErrors.length > 0, 60000, 'the flash to finish')]);
    assert.deepEqual(flashErrors, []);
    assert.ok(statuses.includes('paused: board being flashed'), `the read node paused during the flash: ${statuses.join(' | ')}`);
    assert.equal(board.firmwareRunning, true);

    await waitUntil(() => broker!.received.length > 0, 15000, 'a reading at the broker');
    const message = broker.received[0];
    assert.equal(message.topic, `sensors/${A}/temperature`);
    const payload = JSON.parse(message.payload.toString('utf8'));
    assert.equal(payload.ident, A);
    assert.equal(payload.name, 'Boiler');
    assert.equal(payload.temperature, 21.5);
    assert.equal(typeof payload.timestamp, 'number');
    assert.ok(
      broker.received.every((m) => m.topic === `sensors/${A}/temperature`),
      'only the chosen sensor is published',
    );
  });
});
