// Setting the sensors' resolution from the read node: the bridge firmware's `res` command on the
// virtual board (its DS18B20 models keep the configuration register), and the w1 `resolution` attribute.
import { strict as assert } from 'assert';
import { readFileSync, promises as fs } from 'fs';
import * as path from 'path';
import helper from 'node-red-node-test-helper';
import readNode from '../../../nodes/ds18b20-read/ds18b20-read';
import deviceNode from '../../../nodes/esp8266-device/esp8266-device';
import type { Esp8266DeviceNode } from '../../../nodes/esp8266-device/device-api';
import { getVirtualBoard, resetVirtualBoards } from '../../../src/sim/host/registry';
import { setDefaultSensors } from '../../../src/sim/onewire/sensor-bus';
import { FakeW1Tree } from '../../src/onewire/fake-w1-tree';
import { translatingCatalogs } from '../../support/catalogs';
import { waitUntil, waitUntilSteady } from '../../support/wait';
import { NodeRecord } from './node-record';

helper.init(require.resolve('node-red'));

const A = '28-0316a27950ff';
const B = '28-0416b3c4d5e6';
const S = '10-000802b4a1c3';
const BRIDGE_IMAGE = readFileSync(path.resolve(__dirname, '../../../../firmware/bridge.bin'));

type Receiver = { receive(msg: object): void };

async function readAndCollect(
  record: NodeRecord,
  count: number,
): Promise<Array<{ ident: string; temperature: number; resolution: number }>> {
  const before = record.messages.length;
  (helper.getNode('r') as unknown as Receiver).receive({ payload: 'read' });
  return (await record.messagesUpTo(before + count, before)).map((m) => m.payload);
}

describe('ds18b20-read resolution', function () {
  this.timeout(30000);

  afterEach(async () => {
    await helper.unload();
    resetVirtualBoards();
    setDefaultSensors({});
  });

  describe('on the virtual board running the bridge firmware', () => {
    async function deploy(name: string, resolution: string) {
      const board = getVirtualBoard(name, { firmware: BRIDGE_IMAGE });
      await helper.load(
        [translatingCatalogs, deviceNode, readNode],
        [
          { id: 'dev', type: 'esp8266-device', port: `sim:${name}`, baud: 115200, reset: 'none' },
          {
            id: 'r',
            type: 'ds18b20-read',
            source: 'esp8266',
            device: 'dev',
            interval: 0,
            output: 'each',
            unit: 'C',
            sensors: [],
            resolution,
            wires: [['h']],
          },
          { id: 'h', type: 'helper' },
        ],
      );
      const record = new NodeRecord(helper.getNode('r'), helper.getNode('h'));
      await record.status(/ready/);
      return { board, record };
    }

    it('sets 9 bit: the configuration registers say so, values are 0.5 °C steps, and a DS18S20 keeps working and is named once', async () => {
      setDefaultSensors({
        sensors: [
          { ident: A, temperature: 21.4375 },
          { ident: B, temperature: 4.3125 },
          { ident: S, temperature: 18.25 },
        ],
      });
      const { board, record } = await deploy('res-nine', '9');
      const first = await readAndCollect(record, 3);
      const second = await readAndCollect(record, 3);
      for (const ident of [A, B]) assert.equal(board.sensors.sensor(ident).part.memory.resolution, 9, `${ident}'s configuration register`);
      for (const reading of [...first, ...second]) {
        assert.equal(reading.resolution, 9, `${reading.ident} reports the resolution it used`);
        // The DS18S20's 9 bits are refined by its count registers (PROTOCOL.md 3.4), as Linux does.
        if (reading.ident !== S)
          assert.equal(
            reading.temperature * 2,
            Math.trunc(reading.temperature * 2),
            `${reading.ident}: ${reading.temperature} is a 9-bit value`,
          );
      }
      assert.deepEqual(
        first.map((r) => [r.ident, r.temperature]),
        [
          [S, 18.25],
          [B, 4],
          [A, 21],
        ],
      );
      assert.deepEqual(
        record.logs.filter((l) => l.includes(S)),
        [`${S} is a DS18S20: its resolution is fixed at 9 bit and stays so (9 bit asked for)`],
      );
      assert.deepEqual(record.warnings, []);
    });

    it('sets it again after the board restarts, after a flash and after it was unplugged with its sensors', async () => {
      setDefaultSensors({ sensors: [{ ident: A, temperature: 21.4375 }] });
      const { board, record } = await deploy('res-again', '10');
      await readAndCollect(record, 1);
      const port = (helper.getNode('dev') as unknown as Esp8266DeviceNode).sharedPort!;
      const written: string[] = [];
      const write = port.write.bind(port);
      port.write = (data: string) => {
        written.push(data);
        return write(data);
      };
      const resCommands = () => written.filter((w) => w === 'res 10\n').length;

      board.pressReset(); // the firmware forgets `res`; its boot hello says so
      await waitUntil(() => resCommands() === 1, 10000, 'res after the restart');

      const lease = await port.acquireExclusive(); // as the flash node does
      board.pressReset();
      const ready = record.statuses.length;
      await lease.release();
      await waitUntil(() => resCommands() === 2 && record.statuses.slice(ready).includes('ready'), 10000, 'res after the flash');

      board.unplug();
      board.sensors.sensor(A).part.memory.powerOn(); // the sensor lost power too: back at its EEPROM's 12 bit
      board.plug();
      await waitUntil(() => resCommands() === 3, 15000, 'res after the board came back');
      const [reading] = await readAndCollect(record, 1);
      assert.deepEqual([reading.resolution, reading.temperature], [10, 21.25]);
      assert.equal(board.sensors.sensor(A).part.memory.resolution, 10);
    });

    it('leaves the sensors as they are by default', async () => {
      setDefaultSensors({ sensors: [{ ident: A, temperature: 21.4375, resolution: 11 }] });
      const { record } = await deploy('res-leave', '');
      const [reading] = await readAndCollect(record, 1);
      assert.deepEqual([reading.resolution, reading.temperature], [11, 21.375]);
    });
  });

  describe('on a fake w1 tree', () => {
    let tree: FakeW1Tree;

    beforeEach(async () => {
      tree = await FakeW1Tree.create();
      await tree.addMaster(1, [A, B, S]);
    });

    afterEach(() => tree.remove());

    it('writes the resolution attribute where the kernel has one, and warns once about the sensors where it has not', async () => {
      await tree.addSensor(A, 21000, { resolution: 12 });
      await tree.addSensor(B, 22000); // a kernel before 5.10: no resolution attribute
      await tree.addSensor(S, 23000);
      await helper.load(
        [translatingCatalogs, readNode],
        [
          {
            id: 'r',
            type: 'ds18b20-read',
            source: 'w1',
            w1Path: tree.root,
            interval: 0,
            output: 'each',
            sensors: [],
            resolution: 10,
            wires: [['h']],
          },
          { id: 'h', type: 'helper' },
        ],
      );
      const record = new NodeRecord(helper.getNode('r'), helper.getNode('h'));
      const first = await readAndCollect(record, 3);
      await readAndCollect(record, 3);
      await waitUntilSteady(() => record.warnings.length, 200);
      assert.equal(await fs.readFile(path.join(tree.root, A, 'resolution'), 'utf8'), '10\n');
      assert.equal(first.find((r) => r.ident === A)?.resolution, 10);
      assert.equal(record.warnings.length, 1);
      assert.match(record.warnings[0], /cannot set 1 sensor\(s\) to 10 bit.*28-0416b3c4d5e6: this kernel has no resolution attribute/);
      assert.deepEqual(record.logs.filter((l) => l.includes(S)).length, 1);
    });
  });
});
