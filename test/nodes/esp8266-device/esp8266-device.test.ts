import { strict as assert } from 'assert';
import helper from 'node-red-node-test-helper';
import deviceNode from '../../../nodes/esp8266-device/esp8266-device';
import type { Esp8266DeviceNode } from '../../../nodes/esp8266-device/device-api';
import flashNode from '../../../nodes/esp8266-flash/esp8266-flash';
import { buildTestImage } from '../../support/image-builders';
import { TestNode, nextCaught } from '../esp8266-flash/flash-test-kit';
import { findSharedPort } from '../../../src/serial/shared-port';
import { getVirtualBoard, resetVirtualBoards } from '../../../src/sim/host/registry';
import type { NodeAPI } from 'node-red';
import { translatingCatalogs } from '../../support/catalogs';
import { waitUntil } from '../../support/wait';

const catchNode: unknown = require('@node-red/nodes/core/common/25-catch.js'); // eslint-disable-line @typescript-eslint/no-require-imports -- a Node-RED core node: plain JavaScript, no types

helper.init(require.resolve('node-red'));

const VIRTUAL_BOARDS_OFF =
  'Serial port: sim: ports (virtual boards) are turned off on this server (esp8266DeviceVirtualBoards in settings.js)';

/** A device on `port` and a flash node using it, whose failures a Catch node reports. */
function flashFlow(port: string) {
  return [
    { id: 'tab', type: 'tab' },
    { id: 'd1', type: 'esp8266-device', port, baud: 115200, reset: 'auto' },
    {
      id: 'flash',
      z: 'tab',
      type: 'esp8266-flash',
      device: 'd1',
      firmware: 'msg',
      flashBaud: 921600,
      verify: true,
      eraseAll: false,
      wires: [[], []],
    },
    { id: 'catcher', z: 'tab', type: 'catch', wires: [['caught']] },
    { id: 'caught', z: 'tab', type: 'helper' },
  ];
}

describe('esp8266-device config node', () => {
  beforeEach(() => helper.startServer());
  afterEach(async () => {
    await helper.unload();
    await helper.stopServer();
    resetVirtualBoards();
  });

  it('reads its properties and owns the shared port for its path', async () => {
    await helper.load(
      [translatingCatalogs, deviceNode],
      [{ id: 'd1', type: 'esp8266-device', port: 'sim:dev-props', baud: '74880', reset: 'none' }],
    );
    const device = helper.getNode('d1') as unknown as Esp8266DeviceNode;
    assert.equal(device.port, 'sim:dev-props');
    assert.equal(device.baudRate, 74880);
    assert.equal(device.reset, 'none');
    assert.ok(device.sharedPort);
    assert.equal(findSharedPort('sim:dev-props'), device.sharedPort);
  });

  it('refuses a baud rate the dialog refuses, with the same words, and opens no port', async () => {
    for (const baud of ['fast', '', '100', '9600.5', '5000000']) {
      await helper.load(
        [translatingCatalogs, deviceNode],
        [{ id: 'd1', type: 'esp8266-device', port: 'sim:dev-baud', baud, reset: 'auto' }],
      );
      const device = helper.getNode('d1') as unknown as Esp8266DeviceNode;
      assert.equal(device.problem, 'Baud rate: a whole number from 300 to 4000000', `baud "${baud}"`);
      assert.equal(device.sharedPort, undefined);
      assert.equal(findSharedPort('sim:dev-baud'), undefined);
      await helper.unload();
    }
  });

  it('takes auto reset for anything but "none"', async () => {
    await helper.load(
      [translatingCatalogs, deviceNode],
      [{ id: 'd1', type: 'esp8266-device', port: 'sim:dev-reset', baud: 115200, reset: 'sometimes' }],
    );
    assert.equal((helper.getNode('d1') as unknown as Esp8266DeviceNode).reset, 'auto');
  });

  it('has no shared port without a path, or with a path longer than 256 characters, and says why', async () => {
    await helper.load([translatingCatalogs, deviceNode], [{ id: 'd1', type: 'esp8266-device', port: '  ', baud: 115200 }]);
    const blank = helper.getNode('d1') as unknown as Esp8266DeviceNode;
    assert.equal(blank.sharedPort, undefined);
    assert.equal(blank.problem, 'Serial port: choose or type the port of the board');
    await helper.unload();
    await helper.load(
      [translatingCatalogs, deviceNode],
      [{ id: 'd1', type: 'esp8266-device', port: `/dev/${'x'.repeat(260)}`, baud: 115200 }],
    );
    const long = helper.getNode('d1') as unknown as Esp8266DeviceNode;
    assert.equal(long.sharedPort, undefined);
    assert.equal(long.problem, 'Serial port: at most 256 characters');
  });

  it('closes the port on redeploy and opens it again for the new configuration', async () => {
    const board = getVirtualBoard('dev-redeploy');
    await helper.load([translatingCatalogs, deviceNode], [{ id: 'd1', type: 'esp8266-device', port: 'sim:dev-redeploy', baud: 115200 }]);
    const first = (helper.getNode('d1') as unknown as Esp8266DeviceNode).sharedPort!;
    const detach = first.attach({});
    await waitUntil(() => first.state === 'open', 5000, 'the port to open');
    assert.equal(board.connected, true);
    detach();
    await helper.setFlows([{ id: 'd1', type: 'esp8266-device', port: 'sim:dev-redeploy', baud: 9600 }], 'full');
    assert.equal(first.state, 'released');
    assert.equal(board.connected, false, 'the old connection is closed');
    const second = (helper.getNode('d1') as unknown as Esp8266DeviceNode).sharedPort!;
    assert.notEqual(second, first);
    assert.equal(second.baudRate, 9600);
  });

  it('lists serial ports, virtual boards included, on GET esp8266-device/ports', async () => {
    getVirtualBoard('dev-listed');
    await helper.load([translatingCatalogs, deviceNode], [{ id: 'd1', type: 'esp8266-device', port: 'sim:dev-listed', baud: 115200 }]);
    const response = await helper.request().get('/esp8266-device/ports').expect(200);
    assert.ok(Array.isArray(response.body));
    const ports = response.body as Array<{ path: string; manufacturer?: string; virtual?: boolean }>;
    const virtualBoard = ports.find((p) => p.path === 'sim:dev-listed');
    assert.ok(virtualBoard, JSON.stringify(ports));
    assert.equal(virtualBoard.virtual, true);
    assert.equal(virtualBoard.manufacturer, 'virtual ESP8266');
  });

  it("refuses sim: ports, with the reason a flow's Catch node gets, and lists none, when settings.js sets esp8266DeviceVirtualBoards to false", async () => {
    const board = getVirtualBoard('dev-off');
    helper.settings({ esp8266DeviceVirtualBoards: false });
    try {
      await helper.load([translatingCatalogs, deviceNode, flashNode, catchNode], flashFlow('sim:dev-off'));
      const device = helper.getNode('d1') as unknown as Esp8266DeviceNode;
      assert.equal(device.problem, VIRTUAL_BOARDS_OFF);
      assert.equal(device.sharedPort, undefined);
      assert.equal(findSharedPort('sim:dev-off'), undefined);
      const caught = nextCaught(helper.getNode('caught'));
      (helper.getNode('flash') as unknown as TestNode).receive({ payload: Buffer.from(buildTestImage()) });
      assert.equal((await caught).message, `Error: ${VIRTUAL_BOARDS_OFF}`);
      assert.equal(board.connected, false, 'the board was never opened');
      const response = await helper.request().get('/esp8266-device/ports').expect(200);
      assert.deepEqual(
        (response.body as Array<{ path: string }>).filter((p) => p.path.startsWith('sim:')),
        [],
      );
    } finally {
      helper.settings({});
    }
  });

  it('keeps sim: ports on unless settings.js turns them off, and offers the switch to the editor', async () => {
    const registered: unknown[] = [];
    const recordingRegister = (RED: NodeAPI) => {
      const nodes = RED.nodes as unknown as { registerType: (...args: unknown[]) => unknown };
      const original = nodes.registerType;
      nodes.registerType = (...args: unknown[]) => {
        registered.push(args[2]);
        return original.apply(nodes, args);
      };
      try {
        deviceNode(RED);
      } finally {
        nodes.registerType = original;
      }
    };
    helper.settings({ esp8266DeviceVirtualBoards: true });
    try {
      await helper.load(recordingRegister, [{ id: 'd1', type: 'esp8266-device', port: 'sim:dev-on', baud: 115200 }]);
      assert.ok((helper.getNode('d1') as unknown as Esp8266DeviceNode).sharedPort);
    } finally {
      helper.settings({});
    }
    assert.deepEqual(registered, [{ settings: { esp8266DeviceVirtualBoards: { value: true, exportable: true } } }]);
  });

  it('puts the port list behind the esp8266-device.read permission', async () => {
    const requested: string[] = [];
    const recordingRegister = (RED: NodeAPI) => {
      const auth = RED.auth as { needsPermission: (permission: string) => unknown };
      const original = auth.needsPermission;
      auth.needsPermission = (permission: string) => {
        requested.push(permission);
        return original(permission);
      };
      try {
        deviceNode(RED);
      } finally {
        auth.needsPermission = original;
      }
    };
    await helper.load(recordingRegister, [{ id: 'd1', type: 'esp8266-device', port: 'sim:dev-perm', baud: 115200 }]);
    assert.deepEqual(requested, ['esp8266-device.read']);
  });
});
