import { strict as assert } from 'assert';
import { promises as fs } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import helper from 'node-red-node-test-helper';
import deviceNode from '../../../nodes/esp8266-device/esp8266-device';
import flashNode from '../../../nodes/esp8266-flash/esp8266-flash';
import { getVirtualBoard, resetVirtualBoards } from '../../../src/sim/host/registry';
import { buildArduinoSingleFile, buildLargeTestImage, md5Hex, patternBytes } from '../../support/image-builders';
import { TestNode, nextCaught, nextMessage, statuses } from './flash-test-kit';
import { translatingCatalogs } from '../../support/catalogs';

const injectNode: unknown = require('@node-red/nodes/core/common/20-inject.js'); // eslint-disable-line @typescript-eslint/no-require-imports -- a Node-RED core node: plain JavaScript, no types
const catchNode: unknown = require('@node-red/nodes/core/common/25-catch.js'); // eslint-disable-line @typescript-eslint/no-require-imports -- a Node-RED core node: plain JavaScript, no types

helper.init(require.resolve('node-red'));

const node = (id: string) => helper.getNode(id) as unknown as TestNode;

describe('flow: firmware in parts, a backup, and the flash read back', () => {
  let userDir: string;
  before(async () => {
    userDir = await fs.mkdtemp(path.join(os.tmpdir(), 'flash-parts-flow-'));
  });
  after(async () => {
    helper.settings({ userDir: undefined });
    await fs.rm(userDir, { recursive: true, force: true });
  });
  beforeEach(() => helper.startServer());
  afterEach(async () => {
    await helper.unload();
    await helper.stopServer();
    resetVirtualBoards();
  });

  it('writes address=path files with a backup under the user directory, then a read node sends the filesystem back', async function () {
    this.timeout(60000);
    helper.settings({ userDir });
    const old = buildLargeTestImage(20 * 1024, 61);
    const board = getVirtualBoard('flow-parts', { firmware: old });
    const app = buildArduinoSingleFile(40 * 1024);
    const filesystem = patternBytes(24 * 1024, 62);
    await fs.writeFile(path.join(userDir, 'app.bin'), app);
    await fs.writeFile(path.join(userDir, 'littlefs.bin'), filesystem);
    const file = `0x0=${path.join(userDir, 'app.bin')}, 0x300000=${path.join(userDir, 'littlefs.bin')}`;
    const flow = [
      { id: 'tab', type: 'tab' },
      { id: 'dev', type: 'esp8266-device', port: 'sim:flow-parts', baud: 115200, reset: 'auto' },
      {
        id: 'go',
        z: 'tab',
        type: 'inject',
        once: true,
        onceDelay: 0.1,
        repeat: '',
        topic: '',
        payload: '',
        payloadType: 'date',
        props: [{ p: 'payload' }],
        wires: [['writer']],
      },
      {
        id: 'writer',
        z: 'tab',
        type: 'esp8266-flash',
        mode: 'write',
        device: 'dev',
        firmware: 'file',
        file,
        flashBaud: 921600,
        verify: true,
        backup: true,
        wires: [['written', 'reader']],
      },
      {
        id: 'reader',
        z: 'tab',
        type: 'esp8266-flash',
        mode: 'read',
        device: 'dev',
        address: '0x300000',
        size: String(filesystem.length),
        flashBaud: 921600,
        wires: [['out']],
      },
      { id: 'written', z: 'tab', type: 'helper' },
      { id: 'out', z: 'tab', type: 'helper' },
      { id: 'catcher', z: 'tab', type: 'catch', wires: [['caught']] },
      { id: 'caught', z: 'tab', type: 'helper' },
    ];
    await helper.load([translatingCatalogs, deviceNode, flashNode, injectNode, catchNode], flow);
    const failed = nextCaught(node('caught'), 55000).then((error) => {
      throw new Error(`the flow failed: ${error.message}`);
    });
    const written = Promise.race([nextMessage(node('written'), 55000), failed]);
    const readBack = nextMessage(node('out'), 55000);
    const writeResult = (await written).payload;
    const msg = await Promise.race([readBack, failed]);

    assert.deepEqual(
      writeResult.parts.map((p: { address: number; kind: string }) => [p.address, p.kind]),
      [
        [0, 'boot-image'],
        [0x300000, 'data'],
      ],
    );
    assert.ok(Buffer.isBuffer(msg.payload));
    assert.deepEqual(new Uint8Array(msg.payload), filesystem);
    assert.equal(msg.flash.md5, md5Hex(filesystem));
    assert.equal(msg.flash.address, 0x300000);
    assert.deepEqual(board.flash.read(0, app.length), app);

    // The backup holds what the board had before: the old image at 0, erased flash at 0x300000.
    const backups = await fs.readdir(path.join(userDir, 'esp8266-backups'));
    assert.deepEqual(backups.map((name) => name.replace(/-\d{8}T\d{6}Z-/, '-<time>-')).sort(), [
      `esp8266-${writeResult.mac.replace(/:/g, '')}-<time>-0x000000.bin`,
      `esp8266-${writeResult.mac.replace(/:/g, '')}-<time>-0x300000.bin`,
    ]);
    assert.deepEqual(writeResult.backupFiles.map((f: string) => path.basename(f)).sort(), backups.sort());
    const saved = await fs.readFile(path.join(userDir, 'esp8266-backups', backups.find((name) => name.endsWith('0x000000.bin')) ?? ''));
    assert.deepEqual(new Uint8Array(saved.subarray(0, old.length)), old);
    assert.equal((await fs.stat(path.join(userDir, 'esp8266-backups'))).mode & 0o777, 0o700);
    assert.equal(statuses(helper.getNode('reader')).pop()?.text, `read ${filesystem.length / 1024} KB`);
  });

  it("refuses bad read settings and file pairs in the dialog's words, through Catch, without touching the port", async () => {
    const board = getVirtualBoard('flow-parts-bad');
    const settings: Array<[Record<string, unknown>, string]> = [
      [{ mode: 'read', address: '0x1000000' }, 'Address: a flash address from 0 to 0xffffff, in hex (0x…) or decimal'],
      [{ mode: 'read', size: '0' }, 'Size: blank for the whole flash, or 1 to 16777216 bytes, in hex (0x…) or decimal'],
      [
        { mode: 'write', firmware: 'file', file: '0x0=/a.bin, 0x1800=/b.bin' },
        'File: address 0x1800 must be a multiple of 0x1000 (4 KB) below 16 MB',
      ],
      [{ mode: 'write', firmware: 'file', file: '0x0=' }, 'File: "0x0=" needs a path after the ='],
    ];
    for (const [options, words] of settings) {
      const flow = [
        { id: 'tab', type: 'tab' },
        { id: 'dev', type: 'esp8266-device', port: 'sim:flow-parts-bad', baud: 115200, reset: 'auto' },
        { id: 'flash', z: 'tab', type: 'esp8266-flash', device: 'dev', flashBaud: 921600, ...options, wires: [[]] },
        { id: 'catcher', z: 'tab', type: 'catch', wires: [['caught']] },
        { id: 'caught', z: 'tab', type: 'helper' },
      ];
      await helper.load([translatingCatalogs, deviceNode, flashNode, catchNode], flow);
      const caught = nextCaught(node('caught'));
      node('flash').receive({ payload: 'go' });
      assert.equal((await caught).message, `Error: ${words}`);
      assert.equal(statuses(helper.getNode('flash'))[0].text, words);
      assert.equal(board.connected, false);
      await helper.unload();
    }
  });
});
