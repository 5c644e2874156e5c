import { strict as assert } from 'assert';
import { readFileSync } from 'fs';
import * as path from 'path';
import helper from 'node-red-node-test-helper';
import readNode from '../../../nodes/ds18b20-read/ds18b20-read';
import deviceNode from '../../../nodes/esp8266-device/esp8266-device';
import flashNode from '../../../nodes/esp8266-flash/esp8266-flash';
import { getVirtualBoard, resetVirtualBoards } from '../../../src/sim/host/registry';
import { setDefaultSensors } from '../../../src/sim/onewire/sensor-bus';
import type { Esp8266DeviceNode } from '../../../nodes/esp8266-device/device-api';
import { FakeW1Tree } from '../../src/onewire/fake-w1-tree';
import { WedgedW1Files, fdatasyncWithin } from '../../src/onewire/wedged-w1-files';
import { MAX_WAITING_INPUTS } from '../../../src/onewire/shared-read';
import { translatingCatalogs } from '../../support/catalogs';
import { waitUntil } from '../../support/wait';

helper.init(require.resolve('node-red'));

const A = '28-0316a27950ff';
const B = '28-0416b3c4d5e6';
const BRIDGE_IMAGE = readFileSync(path.resolve(__dirname, '../../../../firmware/bridge.bin'));

interface NodeStatus {
  fill?: string;
  shape?: string;
  text?: string;
}
interface Msg {
  topic?: string;
  payload: any;
  errors?: Array<{ ident: string; code: string }>;
  keep?: string;
}
type TestNode = { on(event: string, cb: (arg: any) => void): void; receive(msg: object): void; status: any };

/** Resolves with the first `count` messages the helper node receives. */
function collect(node: TestNode, count: number): Promise<Msg[]> {
  const got: Msg[] = [];
  return new Promise((resolve) =>
    node.on('input', (msg: Msg) => {
      got.push(msg);
      if (got.length === count) resolve(got);
    }),
  );
}

/** Resolves with the first error the node reports (done(err) or node.error). */
function nextError(node: TestNode): Promise<{ message: string; msg: Msg }> {
  return new Promise((resolve) =>
    node.on('call:error', (call: { args: [unknown, Msg] }) => {
      const first = call.args[0];
      resolve({ message: first instanceof Error ? first.message : String(first), msg: call.args[1] });
    }),
  );
}

function statusText(node: TestNode, pattern: RegExp, timeoutMs = 8000): Promise<string> {
  return new Promise((resolve, reject) => {
    const timer = setTimeout(() => reject(new Error(`status never matched ${pattern}`)), timeoutMs);
    node.on('call:status', (call: { args: [{ text?: string }] }) => {
      const text = call.args[0]?.text ?? '';
      if (pattern.test(text)) {
        clearTimeout(timer);
        resolve(text);
      }
    });
  });
}

describe('ds18b20-read node', function () {
  let tree: FakeW1Tree;

  beforeEach(async () => {
    tree = await FakeW1Tree.create();
    await tree.addMaster(1, [A, B]);
    await tree.addSensor(A, 21437, { resolution: 12, extPower: 1 });
    await tree.addSensor(B, 85000, { powerOn: true });
  });

  afterEach(async () => {
    await helper.unload();
    resetVirtualBoards();
    setDefaultSensors({});
    await tree.remove();
  });

  describe('w1 source', () => {
    it('sends one message per good sensor on input and reports the bad one through done(err)', async () => {
      const flow = [
        {
          id: 'r',
          type: 'ds18b20-read',
          source: 'w1',
          w1Path: tree.root,
          interval: 0,
          output: 'each',
          unit: 'C',
          sensors: [],
          wires: [['h']],
        },
        { id: 'h', type: 'helper' },
      ];
      await helper.load([translatingCatalogs, readNode], flow);
      const r = helper.getNode('r') as unknown as TestNode;
      const h = helper.getNode('h') as unknown as TestNode;
      const messages = collect(h, 1);
      const error = nextError(r);
      const status = statusText(r, /ok/);
      r.receive({ payload: 'go', keep: 'me' });
      const [msg] = await messages;
      assert.equal(msg.topic, A);
      assert.equal(msg.keep, 'me');
      assert.equal(msg.payload.temperature, 21.437);
      assert.equal(msg.payload.resolution, 12);
      assert.equal(msg.payload.power, 'external');
      assert.ok(Math.abs(msg.payload.timestamp - Date.now() / 1000) < 5);
      const failure = await error;
      assert.match(failure.message, /28-0416b3c4d5e6: 85 °C power-on value/);
      assert.deepEqual(
        failure.msg.errors?.map((e) => e.code),
        ['power_on_value'],
      );
      assert.equal(await status, '1 ok, 1 failing');
    });

    it('sends one array with names and °F for the chosen sensors, and reports a chosen sensor that is missing', async () => {
      await tree.addSensor(B, 20000);
      const flow = [
        {
          id: 'r',
          type: 'ds18b20-read',
          source: 'w1',
          w1Path: tree.root,
          interval: 0,
          output: 'array',
          unit: 'F',
          sensors: [{ ident: B, name: 'Boiler' }, { ident: '28-00000000abcd' }, 'junk'],
          wires: [['h']],
        },
        { id: 'h', type: 'helper' },
      ];
      await helper.load([translatingCatalogs, readNode], flow);
      const r = helper.getNode('r') as unknown as TestNode;
      const messages = collect(helper.getNode('h'), 1);
      const error = nextError(r);
      r.receive({ payload: '' });
      const [msg] = await messages;
      assert.deepEqual(
        msg.payload.map((p: any) => [p.ident, p.name, p.temperature]),
        [[B, 'Boiler', 68]],
      );
      assert.match((await error).message, /28-00000000abcd: the sensor is gone from the 1-Wire bus/);
    });

    it('refuses an interval, a w1 path or a name the edit dialog refuses, with the same words, and never reads', async () => {
      for (const [change, words] of [
        [{ interval: 500 }, 'Every: 0, or a whole number of ms from 1000 to 86400000'],
        [{ interval: -1 }, 'Every: 0, or a whole number of ms from 1000 to 86400000'],
        [{ w1Path: `/${'w'.repeat(300)}` }, 'w1 path: at most 256 characters'],
        [{ sensors: [{ ident: A, name: 'n'.repeat(65) }] }, 'Sensor names: at most 64 characters'],
        [{ source: 'esp8266', device: '' }, 'ESP8266: choose the device whose board runs the bridge'],
      ] as Array<[Record<string, unknown>, string]>) {
        const flow = [
          {
            id: 'r',
            type: 'ds18b20-read',
            source: 'w1',
            w1Path: tree.root,
            interval: 1000,
            output: 'each',
            unit: 'C',
            sensors: [],
            wires: [['h']],
            ...change,
          },
          { id: 'h', type: 'helper' },
        ];
        await helper.load([translatingCatalogs, readNode], flow);
        const r = helper.getNode('r') as unknown as TestNode;
        const spies = r as unknown as { error: { args: unknown[][] }; status: { args: Array<[NodeStatus]> } };
        assert.deepEqual(
          spies.status.args.map((a) => a[0]),
          [{ fill: 'red', shape: 'ring', text: words }],
          JSON.stringify(change),
        );
        assert.deepEqual(
          spies.error.args.map((a) => String(a[0])),
          [words],
        );
        const refused = nextError(r);
        r.receive({ payload: 1 });
        assert.equal((await refused).message, words);
        await helper.unload();
      }
    });

    it('reads on its own every interval', async () => {
      const flow = [
        {
          id: 'r',
          type: 'ds18b20-read',
          source: 'w1',
          w1Path: tree.root,
          interval: 1000,
          output: 'each',
          unit: 'C',
          sensors: [A],
          wires: [['h']],
        },
        { id: 'h', type: 'helper' },
      ];
      await helper.load([translatingCatalogs, readNode], flow);
      const started = Date.now();
      const [msg] = await collect(helper.getNode('h'), 1);
      assert.equal(msg.topic, A);
      assert.ok(Date.now() - started >= 900);
    });

    it("keeps libuv's pool free while a sensor hangs in the kernel: a storm shares one read, the hung sensor is skipped with status", async function () {
      this.timeout(30000);
      const wedged = new WedgedW1Files();
      try {
        wedged.wedge(path.join(tree.root, B, 'w1_slave'));
        const flow = [
          {
            id: 'r',
            type: 'ds18b20-read',
            source: 'w1',
            w1Path: tree.root,
            interval: 0,
            output: 'each',
            unit: 'C',
            sensors: [],
            wires: [['h']],
          },
          { id: 'h', type: 'helper' },
        ];
        await helper.load([translatingCatalogs, readNode], flow);
        const r = helper.getNode('r') as unknown as TestNode;
        const errors: Array<{ message: string; codes: string[] }> = [];
        r.on('call:error', (call: { args: [unknown, Msg] }) =>
          errors.push({
            message: String(call.args[0] instanceof Error ? call.args[0].message : call.args[0]),
            codes: (call.args[1]?.errors ?? []).map((e) => e.code),
          }),
        );
        const storm = MAX_WAITING_INPUTS + 2;
        const messages = collect(helper.getNode('h'), MAX_WAITING_INPUTS);
        for (let i = 0; i < storm; i++) r.receive({ payload: i });
        // While the read of B hangs, the outbox's kind of work still gets a thread at once.
        await fdatasyncWithin(path.dirname(tree.root), 100);
        assert.deepEqual(
          errors.map((e) => e.message),
          [
            `${MAX_WAITING_INPUTS} messages are already waiting for the current read: this one is dropped`,
            `${MAX_WAITING_INPUTS} messages are already waiting for the current read: this one is dropped`,
          ],
        );
        const got = await messages;
        assert.deepEqual(
          [...new Set(got.map((m) => `${m.topic} ${m.payload.temperature} ${m.payload.timestamp}`))].length,
          1,
          'one read, shared',
        );
        assert.equal(got[0].topic, A);
        await waitUntil(() => errors.length === storm, 10000, 'every waiting message to end');
        assert.deepEqual(
          errors.slice(2).map((e) => e.codes),
          new Array(MAX_WAITING_INPUTS).fill(['read_failed']),
        );
        assert.equal(wedged.blockedOpens, 1, 'one thread for the hung sensor');

        const skippedStatus = statusText(r, /not answering/);
        const next = collect(helper.getNode('h'), 1);
        r.receive({ payload: 'again' });
        assert.equal((await next)[0].topic, A, 'the other sensor keeps reading');
        assert.equal(await skippedStatus, '1 ok, 1 failing (1 not answering, skipped)');
        await waitUntil(() => errors.length === storm + 1, 5000, 'the skipped sensor to be reported');
        assert.deepEqual(errors[storm].codes, ['stuck']);
        assert.match(errors[storm].message, /28-0416b3c4d5e6: skipped: its read started \d+ s ago has not returned from the kernel/);
        await fdatasyncWithin(path.dirname(tree.root), 100);
      } finally {
        await wedged.release();
      }
    });

    it('fails an input clearly when there is no w1 bus at the path', async () => {
      const flow = [
        { id: 'r', type: 'ds18b20-read', source: 'w1', w1Path: path.join(tree.root, 'nope'), interval: 0, output: 'each', wires: [[]] },
      ];
      await helper.load([translatingCatalogs, readNode], flow);
      const r = helper.getNode('r') as unknown as TestNode;
      const error = nextError(r);
      r.receive({ payload: 1 });
      assert.match((await error).message, /no 1-Wire bus at .*nope/);
    });

    it('lists sensors for the editor behind the read permission', async () => {
      await helper.load(
        [translatingCatalogs, readNode],
        [{ id: 'r', type: 'ds18b20-read', source: 'w1', w1Path: tree.root, interval: 0, wires: [[]] }],
      );
      const res = await helper.request().get('/ds18b20-read/sensors').query({ source: 'w1', w1Path: tree.root }).expect(200);
      assert.deepEqual(res.body, [
        { ident: A, model: 'DS18B20' },
        { ident: B, model: 'DS18B20' },
      ]);
      const missing = await helper.request().get('/ds18b20-read/sensors').query({ source: 'w1', w1Path: '/nonexistent/w1' }).expect(503);
      assert.match(missing.body.error, /no 1-Wire bus/);
    });
  });

  describe('esp8266 source on a virtual board', () => {
    function boardFlow(port: string, extra: object = {}) {
      return [
        { id: 'dev', type: 'esp8266-device', port, baud: 115200, reset: 'none' },
        {
          id: 'r',
          type: 'ds18b20-read',
          source: 'esp8266',
          device: 'dev',
          interval: 0,
          output: 'each',
          unit: 'C',
          sensors: [],
          wires: [['h']],
          ...extra,
        },
        { id: 'h', type: 'helper' },
      ];
    }

    beforeEach(() => {
      setDefaultSensors({
        sensors: [
          { ident: A, temperature: 21.5 },
          { ident: B, temperature: 4.25 },
        ],
      });
    });

    it('reads every sensor through the bridge firmware, one message each', async () => {
      getVirtualBoard('ds-each', { firmware: BRIDGE_IMAGE });
      await helper.load([translatingCatalogs, deviceNode, readNode], boardFlow('sim:ds-each'));
      const r = helper.getNode('r') as unknown as TestNode;
      await statusText(r, /ready/);
      const messages = collect(helper.getNode('h'), 2);
      r.receive({ payload: 'now' });
      const got = await messages;
      // The bridge reads in ROM search order (Maxim AN187), where B comes before A.
      assert.deepEqual(
        got.map((m) => [m.topic, m.payload.temperature, m.payload.resolution, m.payload.power]),
        [
          [B, 4.25, 12, 'external'],
          [A, 21.5, 12, 'external'],
        ],
      );
    });

    it('answers an inject storm with one bridge read shared by the waiting messages, and drops the rest with a reason', async function () {
      this.timeout(20000);
      getVirtualBoard('ds-storm', { firmware: BRIDGE_IMAGE });
      await helper.load([translatingCatalogs, deviceNode, readNode], boardFlow('sim:ds-storm'));
      const r = helper.getNode('r') as unknown as TestNode;
      await statusText(r, /ready/);
      const errors: string[] = [];
      r.on('call:error', (call: { args: [unknown] }) =>
        errors.push(String(call.args[0] instanceof Error ? call.args[0].message : call.args[0])),
      );
      const messages = collect(helper.getNode('h'), 2 * MAX_WAITING_INPUTS);
      for (let i = 0; i < MAX_WAITING_INPUTS + 2; i++) r.receive({ payload: i });
      const got = await messages;
      assert.deepEqual(
        errors,
        new Array(2).fill(`${MAX_WAITING_INPUTS} messages are already waiting for the current read: this one is dropped`),
      );
      const readings = new Set(got.map((m) => `${m.topic} ${m.payload.timestamp}`));
      assert.deepEqual(
        [...readings].map((k) => k.split(' ')[0]),
        [B, A],
        'one read cycle on the board, shared by every message',
      );
    });

    it('sends an array on its interval, and reports a sensor fault without dropping the good reading', async () => {
      const board = getVirtualBoard('ds-array', { firmware: BRIDGE_IMAGE });
      board.sensors.setFault(B, 'crc');
      await helper.load([translatingCatalogs, deviceNode, readNode], boardFlow('sim:ds-array', { interval: 1000, output: 'array' }));
      const r = helper.getNode('r') as unknown as TestNode;
      const error = nextError(r);
      const [msg] = await collect(helper.getNode('h'), 1);
      assert.deepEqual(
        msg.payload.map((p: any) => p.ident),
        [A],
      );
      const failure = await error;
      assert.match(failure.message, /28-0416b3c4d5e6: CRC error/);
      assert.deepEqual(failure.msg.errors, [{ ident: B, code: 'crc', message: failure.message }]);
    });

    it('says to flash the bridge when the board runs no bridge firmware', async () => {
      getVirtualBoard('ds-empty');
      await helper.load([translatingCatalogs, deviceNode, readNode], boardFlow('sim:ds-empty'));
      const r = helper.getNode('r') as unknown as TestNode;
      const warned = new Promise<string>((resolve) => r.on('call:warn', (call: { args: [string] }) => resolve(call.args[0])));
      assert.equal(await statusText(r, /bridge/), 'no bridge firmware');
      assert.match(await warned, /flash the bridge firmware with the ESP8266 flash node/);
      const error = nextError(r);
      r.receive({ payload: 1 });
      assert.match((await error).message, /flash the bridge firmware/);
    });

    it('shows a yellow paused status without a warning while a flash holds the port, and reads again after it', async () => {
      getVirtualBoard('ds-flash', { firmware: BRIDGE_IMAGE });
      await helper.load([translatingCatalogs, deviceNode, readNode], boardFlow('sim:ds-flash'));
      const r = helper.getNode('r') as unknown as TestNode;
      await statusText(r, /ready/);
      const warnings: string[] = [];
      r.on('call:warn', (call: { args: [string] }) => warnings.push(call.args[0]));
      const fills: string[] = [];
      r.on('call:status', (call: { args: [{ fill?: string; text?: string }] }) => fills.push(`${call.args[0].fill} ${call.args[0].text}`));
      const device = helper.getNode('dev') as unknown as Esp8266DeviceNode;
      const lease = await device.sharedPort!.acquireExclusive();
      assert.equal(await statusText(r, /paused/), 'paused: board being flashed');
      assert.ok(fills.includes('yellow paused: board being flashed'), `statuses seen: ${fills.join(', ')}`);
      const refused = nextError(r);
      r.receive({ payload: 1 });
      assert.match((await refused).message, /paused while the board is being flashed/);
      const ready = statusText(r, /ready/);
      await lease.release();
      await ready;
      assert.deepEqual(warnings, []);
      const messages = collect(helper.getNode('h'), 2);
      r.receive({ payload: 2 });
      assert.equal((await messages).length, 2);
    });

    it('deployed while a flash holds the port: waits, paused and without a warning, then reads the flashed board', async function () {
      this.timeout(60000);
      getVirtualBoard('ds-mid-flash');
      const flashing = [
        { id: 'tab', type: 'tab' },
        { id: 'dev', type: 'esp8266-device', port: 'sim:ds-mid-flash', baud: 115200, reset: 'auto' },
        {
          id: 'flash',
          z: 'tab',
          type: 'esp8266-flash',
          device: 'dev',
          firmware: 'msg',
          flashBaud: 921600,
          verify: true,
          eraseAll: false,
          progressOutput: true,
          wires: [['out'], ['progress']],
        },
        { id: 'out', z: 'tab', type: 'helper' },
        { id: 'progress', z: 'tab', type: 'helper' },
      ];
      await helper.startServer();
      try {
        await helper.load([translatingCatalogs, deviceNode, flashNode, readNode], flashing);
        const holdingThePort = new Promise<void>((resolve) =>
          (helper.getNode('progress') as unknown as TestNode).on('input', (msg: { payload: { phase: string } }) => {
            if (msg.payload.phase === 'preparing') resolve();
          }),
        );
        const flashed = collect(helper.getNode('out'), 1);
        (helper.getNode('flash') as unknown as TestNode).receive({ payload: Buffer.from(BRIDGE_IMAGE) });
        await holdingThePort;
        await helper.setFlows(
          [
            ...flashing,
            {
              id: 'r',
              z: 'tab',
              type: 'ds18b20-read',
              source: 'esp8266',
              device: 'dev',
              interval: 0,
              output: 'each',
              unit: 'C',
              sensors: [],
              wires: [['h']],
            },
            { id: 'h', z: 'tab', type: 'helper' },
          ],
          'nodes',
        );
        const r = helper.getNode('r') as unknown as TestNode;
        // The helper spies on every node's methods at once; these are the read node's calls.
        type Calls<A> = { getCalls(): Array<{ thisValue: unknown; args: A }> };
        const spies = r as unknown as { warn: Calls<unknown[]>; status: Calls<[NodeStatus]> };
        const seen = () =>
          spies.status
            .getCalls()
            .filter((c) => c.thisValue === r)
            .map((c) => `${c.args[0].fill} ${c.args[0].text}`);
        const warnings = () =>
          spies.warn
            .getCalls()
            .filter((c) => c.thisValue === r)
            .map((c) => c.args[0]);
        assert.deepEqual(seen(), ['yellow paused: board being flashed']);
        await flashed;
        await waitUntil(() => seen().includes('green ready'), 10000, 'the reader to find the flashed bridge');
        assert.deepEqual(seen(), ['yellow paused: board being flashed', 'grey connecting', 'green ready']);
        assert.deepEqual(warnings(), []);
        const messages = collect(helper.getNode('h'), 2);
        r.receive({ payload: 'after the flash' });
        assert.deepEqual(
          (await messages).map((m) => [m.topic, m.payload.temperature]),
          [
            [B, 4.25],
            [A, 21.5],
          ],
        );
      } finally {
        await helper.unload();
        await helper.stopServer();
      }
    });

    it('survives the board being unplugged and plugged in again', async function () {
      const board = getVirtualBoard('ds-unplug', { firmware: BRIDGE_IMAGE });
      await helper.load([translatingCatalogs, deviceNode, readNode], boardFlow('sim:ds-unplug'));
      const r = helper.getNode('r') as unknown as TestNode;
      await statusText(r, /ready/);
      const unplugged = statusText(r, /unplugged/);
      board.unplug();
      await unplugged;
      const refused = nextError(r);
      r.receive({ payload: 1 });
      assert.match((await refused).message, /the board is gone/);
      const ready = statusText(r, /ready/, 10000);
      board.plug();
      await ready;
      const messages = collect(helper.getNode('h'), 2);
      r.receive({ payload: 2 });
      assert.deepEqual(
        (await messages).map((m) => m.topic),
        [B, A],
      );
    });

    it('lists the bridge sensors for the editor', async () => {
      getVirtualBoard('ds-list', { firmware: BRIDGE_IMAGE });
      await helper.load([translatingCatalogs, deviceNode, readNode], boardFlow('sim:ds-list'));
      const res = await helper.request().get('/ds18b20-read/sensors').query({ source: 'esp8266', device: 'dev' }).expect(200);
      assert.deepEqual(res.body, [
        { ident: B, model: 'DS18B20' },
        { ident: A, model: 'DS18B20' },
      ]);
      const unknown = await helper.request().get('/ds18b20-read/sensors').query({ source: 'esp8266', device: 'nope' }).expect(404);
      assert.match(unknown.body.error, /no ESP8266 device/);
    });
  });
});
