// The reading settings as users meet them: a deployed read node on the virtual board running the real
// bridge firmware (sensor temperatures scripted on its 1-Wire line), and on a fake w1 sysfs tree.
import { strict as assert } from 'assert';
import { readFileSync } from 'fs';
import * as os from 'os';
import * as path from 'path';
import helper from 'node-red-node-test-helper';
import readNode from '../../../nodes/ds18b20-read/ds18b20-read';
import deviceNode from '../../../nodes/esp8266-device/esp8266-device';
import flashNode from '../../../nodes/esp8266-flash/esp8266-flash';
import { getVirtualBoard, resetVirtualBoards } from '../../../src/sim/host/registry';
import { setDefaultSensors } from '../../../src/sim/onewire/sensor-bus';
import type { VirtualBoard } from '../../../src/sim/board/board';
import { w1BoardIdent } from '../../../src/readings/board-message';
import { FakeW1Tree } from '../../src/onewire/fake-w1-tree';
import { translatingCatalogs } from '../../support/catalogs';
import { waitUntil, waitUntilSteady } from '../../support/wait';
import { NodeRecord } from './node-record';

helper.init(require.resolve('node-red'));

const A = '28-0316a27950ff';
const B = '28-0416b3c4d5e6';
const BRIDGE_IMAGE = readFileSync(path.resolve(__dirname, '../../../../firmware/bridge.bin'));
const CYCLE = /^\d+ ok, \d+ failing/;

type Source = 'esp8266' | 'w1';

/** One source behind the same steps: set a sensor's temperature, deploy a read node, read once. */
interface Bench {
  setTemperature(ident: string, celsius: number): Promise<void>;
  deploy(settings: Record<string, unknown>): Promise<NodeRecord>;
}

let tree: FakeW1Tree;
let board: VirtualBoard | undefined;
let boardCount = 0;

async function deployRead(source: Source, settings: Record<string, unknown>): Promise<NodeRecord> {
  const read =
    source === 'w1'
      ? { id: 'r', type: 'ds18b20-read', source: 'w1', w1Path: tree.root }
      : { id: 'r', type: 'ds18b20-read', source: 'esp8266', device: 'dev' };
  const flow = [
    ...(source === 'w1' ? [] : [{ id: 'dev', type: 'esp8266-device', port: `sim:${board?.name}`, baud: 115200, reset: 'none' }]),
    { ...read, interval: 0, output: 'each', unit: 'C', sensors: [], ...settings, wires: [['h']] },
    { id: 'h', type: 'helper' },
  ];
  await helper.load([translatingCatalogs, deviceNode, readNode], flow);
  const record = new NodeRecord(helper.getNode('r'), helper.getNode('h'));
  if (source === 'esp8266') await record.status(/ready/);
  return record;
}

function bench(source: Source): Bench {
  if (source === 'w1') {
    return {
      setTemperature: (ident, celsius) => tree.addSensor(ident, Math.round(celsius * 1000), { resolution: 12, extPower: 1 }),
      deploy: (settings) => deployRead('w1', settings),
    };
  }
  return {
    setTemperature: async (ident, celsius) => board?.sensors.sensor(ident).setTemperature(celsius),
    deploy: (settings) => deployRead('esp8266', settings),
  };
}

/** Triggers one read and waits for its cycle to end (its status) and its messages to arrive, whatever it sent. */
async function readOnce(record: NodeRecord): Promise<void> {
  const before = record.statuses.filter((s) => CYCLE.test(s)).length;
  (helper.getNode('r') as unknown as { receive(msg: object): void }).receive({ payload: 'read' });
  await waitUntil(
    () => record.statuses.filter((s) => CYCLE.test(s)).length > before,
    10000,
    `the read cycle to end (statuses: ${record.statuses.join(' | ')}; errors: ${record.errors.map((e) => e.message).join(' | ')})`,
  );
  // Messages reach the next node asynchronously, after the status.
  await waitUntilSteady(() => record.messages.length, 200, 5000, 'the messages of the cycle');
}

const temperatures = (record: NodeRecord, ident = A) => record.messages.filter((m) => m.topic === ident).map((m) => m.payload.temperature);

describe('ds18b20-read reading settings', function () {
  this.timeout(30000);

  beforeEach(async () => {
    tree = await FakeW1Tree.create();
    await tree.addMaster(1, [A, B]);
    await tree.addSensor(A, 21500, { resolution: 12, extPower: 1 });
    await tree.addSensor(B, 4250, { resolution: 12, extPower: 1 });
    setDefaultSensors({
      sensors: [
        { ident: A, temperature: 21.5 },
        { ident: B, temperature: 4.25 },
      ],
    });
    boardCount += 1;
    board = getVirtualBoard(`readings-${boardCount}`, { firmware: BRIDGE_IMAGE });
  });

  afterEach(async () => {
    await helper.unload();
    resetVirtualBoards();
    setDefaultSensors({});
    board = undefined;
    await tree.remove();
  });

  for (const source of ['esp8266', 'w1'] as const) {
    describe(`${source} source`, () => {
      it("adds each sensor's offset before °F, rounds half away from zero, and keeps the raw value", async () => {
        const record = await bench(source).deploy({
          sensors: [{ id: A, name: 'Boiler', offset: -0.5 }, { id: B }],
          unit: 'F',
          decimals: '1',
        });
        await readOnce(record);
        const [a, b] = await record.messagesUpTo(2);
        // 21.5 − 0.5 = 21 °C = 69.8 °F; raw 21.5 °C = 70.7 °F. 4.25 °C = 39.65 °F, half away from zero: 39.7.
        assert.deepEqual([a.topic, a.payload.name, a.payload.temperature, a.payload.rawTemperature], [A, 'Boiler', 69.8, 70.7]);
        assert.deepEqual([b.topic, b.payload.temperature, 'rawTemperature' in b.payload], [B, 39.7, false]);
      });

      it('publishes on change: held within the deadband, sent beyond it, after a failure, and on the heartbeat', async () => {
        const sensor = bench(source);
        const record = await sensor.deploy({ sensors: [{ id: A }], deadband: '0.5', heartbeat: '3' });
        await readOnce(record);
        await sensor.setTemperature(A, 21.75);
        await readOnce(record);
        assert.deepEqual(temperatures(record), [21.5]);
        assert.equal(await record.status(/held back/), '1 ok, 0 failing, 1 held back');
        await sensor.setTemperature(A, 22);
        await readOnce(record);
        assert.deepEqual(temperatures(record), [21.5, 22]);
        // Unchanged readings go out again once 3 s passed since the last one sent (the readings' own timestamps).
        while (temperatures(record).length < 3) await readOnce(record);
        const sent = record.messages.map((m) => m.payload.timestamp as number);
        assert.ok(sent[2] - sent[1] >= 3, `heartbeat after ${sent[2] - sent[1]} s`);
        assert.equal(temperatures(record)[2], 22);
      });

      it('holds a jump until the next reading confirms it, then sends both in order; fails an unconfirmed one as spike', async () => {
        const sensor = bench(source);
        const record = await sensor.deploy({ sensors: [{ id: A }], maxStep: '2' });
        await readOnce(record);
        await sensor.setTemperature(A, 30);
        await readOnce(record);
        assert.deepEqual(temperatures(record), [21.5], 'the jump is held');
        await sensor.setTemperature(A, 30.5);
        await readOnce(record);
        assert.deepEqual(temperatures(record), [21.5, 30, 30.5]);
        const [, held, confirming] = record.messages;
        assert.ok(held.payload.timestamp < confirming.payload.timestamp, 'the held reading keeps its own time');

        await sensor.setTemperature(A, 80);
        await readOnce(record);
        await sensor.setTemperature(A, 31);
        await readOnce(record);
        assert.deepEqual(temperatures(record), [21.5, 30, 30.5, 31]);
        const spike = record.errors.at(-1);
        assert.match(spike?.message ?? '', /28-0316a27950ff: 80 °C jumped 49\.5 °C from 30\.5 °C/);
        assert.deepEqual(
          spike?.msg?.errors?.map((e) => [e.ident, e.code]),
          [[A, 'spike']],
        );
      });

      it("sends one message per board, named keys, the failing sensor in msg.errors, on a topic flespi's channel takes", async () => {
        if (source === 'w1') await tree.addSensor(B, 85000, { powerOn: true });
        else board?.sensors.setFault(B, 'crc');
        const record = await bench(source).deploy({ output: 'board', sensors: [{ id: A, name: 'Boiler Top' }, { id: B }] });
        await readOnce(record);
        const [msg] = await record.messagesUpTo(1);
        const ident = source === 'w1' ? w1BoardIdent(os.hostname()) : `esp8266-${board?.macAddress.replace(/:/g, '')}`;
        assert.deepEqual(Object.keys(msg.payload), ['ident', 'timestamp', 'temperature.boiler_top']);
        assert.equal(msg.payload.ident, ident);
        assert.equal(msg.payload['temperature.boiler_top'], 21.5);
        assert.equal(msg.topic, `sensors/${ident}/temperature`);
        assert.deepEqual(
          msg.errors?.map((e) => [e.ident, e.code]),
          [[B, source === 'w1' ? 'power_on_value' : 'crc']],
        );
        assert.deepEqual(
          record.errors.at(-1)?.msg?.errors?.map((e) => e.ident),
          [B],
          'a Catch node hears of it too',
        );
      });
    });
  }

  it('names a bridge board by the MAC the flasher reports for it, before and after a flash', async () => {
    const flow = [
      { id: 'dev', type: 'esp8266-device', port: `sim:${board?.name}`, baud: 115200, reset: 'auto' },
      {
        id: 'flash',
        type: 'esp8266-flash',
        device: 'dev',
        firmware: 'bundled',
        file: '',
        flashBaud: 460800,
        eraseAll: false,
        verify: true,
        wires: [['flashed']],
      },
      { id: 'flashed', type: 'helper' },
      {
        id: 'r',
        type: 'ds18b20-read',
        source: 'esp8266',
        device: 'dev',
        interval: 0,
        output: 'board',
        unit: 'C',
        sensors: [{ id: A }],
        wires: [['h']],
      },
      { id: 'h', type: 'helper' },
    ];
    await helper.load([translatingCatalogs, deviceNode, flashNode, readNode], flow);
    const record = new NodeRecord(helper.getNode('r'), helper.getNode('h'));
    await record.status(/ready/);
    await readOnce(record);

    type Emitter = { on(event: string, cb: (msg: { payload: { mac: string } }) => void): void };
    const flashed = new Promise<{ payload: { mac: string } }>((resolve) =>
      (helper.getNode('flashed') as unknown as Emitter).on('input', resolve),
    );
    (helper.getNode('flash') as unknown as { receive(msg: object): void }).receive({ payload: 'flash' });
    const { mac } = (await flashed).payload;
    await waitUntil(
      () => record.statuses.at(-1) === 'ready',
      20000,
      `the read node to reconnect after the flash (statuses: ${record.statuses.join(' | ')})`,
    );
    await readOnce(record);

    assert.match(mac, /^([0-9a-f]{2}:){5}[0-9a-f]{2}$/);
    const idents = record.messages.map((m) => m.payload.ident);
    assert.deepEqual(idents, [`esp8266-${mac.replace(/:/g, '')}`, `esp8266-${mac.replace(/:/g, '')}`]);
  });
});
