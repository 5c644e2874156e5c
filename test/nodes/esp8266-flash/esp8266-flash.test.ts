import { strict as assert } from 'assert';
import { promises as fs } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import helper from 'node-red-node-test-helper';
import deviceNode from '../../../nodes/esp8266-device/esp8266-device';
import type { Esp8266DeviceNode } from '../../../nodes/esp8266-device/device-api';
import flashNode from '../../../nodes/esp8266-flash/esp8266-flash';
import { getVirtualBoard, resetVirtualBoards } from '../../../src/sim/host/registry';
import { buildLargeTestImage, buildTestImage, md5Hex } from '../../support/image-builders';
import { TestNode, nextCaught, nextMessage, recordComms, statuses } from './flash-test-kit';
import { translatingCatalogs } from '../../support/catalogs';
import { waitUntil } from '../../support/wait';

const catchNode: unknown = require('@node-red/nodes/core/common/25-catch.js'); // eslint-disable-line @typescript-eslint/no-require-imports -- a Node-RED core node: plain JavaScript, no types

helper.init(require.resolve('node-red'));

const BRIDGE_IMAGE_PATH = path.resolve(__dirname, '../../../../firmware/bridge.bin');

function flow(board: string, flashOptions: Record<string, unknown>) {
  return [
    { id: 'tab', type: 'tab' },
    { id: 'dev', type: 'esp8266-device', port: `sim:${board}`, baud: 115200, reset: 'auto' },
    {
      id: 'flash',
      z: 'tab',
      type: 'esp8266-flash',
      device: 'dev',
      firmware: 'msg',
      flashBaud: 921600,
      verify: true,
      eraseAll: false,
      wires: [['out'], ['progress']],
      ...flashOptions,
    },
    { id: 'out', z: 'tab', type: 'helper' },
    { id: 'progress', z: 'tab', type: 'helper' },
    { id: 'catcher', z: 'tab', type: 'catch', wires: [['caught']] },
    { id: 'caught', z: 'tab', type: 'helper' },
  ];
}

const node = (id: string) => helper.getNode(id) as unknown as TestNode;

describe('esp8266-flash node on a virtual board', () => {
  let tempDir: string;
  before(async () => {
    tempDir = await fs.mkdtemp(path.join(os.tmpdir(), 'flash-node-'));
  });
  after(async () => {
    await fs.rm(tempDir, { recursive: true, force: true });
  });
  beforeEach(() => helper.startServer());
  afterEach(async () => {
    await helper.unload();
    await helper.stopServer();
    resetVirtualBoards();
  });

  it('flashes the Buffer in msg.payload and sends the result, with progress on the second output and to the editor', async () => {
    const board = getVirtualBoard('node-msg');
    const image = buildLargeTestImage(64 * 1024);
    await helper.load([translatingCatalogs, deviceNode, flashNode, catchNode], flow('node-msg', { progressOutput: true }));
    const comms = recordComms();
    const progress: Array<{ phase: string; percent: number }> = [];
    node('progress').on('input', (msg: { payload: { phase: string; percent: number } }) => progress.push(msg.payload));
    const result = nextMessage(node('out'));
    node('flash').receive({ payload: Buffer.from(image), topic: 'keep me' });
    const msg = await result;
    comms.stop();
    assert.equal(msg.topic, 'keep me');
    assert.equal(msg.payload.verified, true);
    assert.equal(msg.payload.md5, md5Hex(image));
    assert.equal(msg.payload.bytesWritten, image.length);
    assert.equal(msg.payload.chip, 'ESP8266EX');
    assert.deepEqual(board.flash.read(0, image.length), image);
    assert.ok(
      progress.some((p) => p.phase === 'writing'),
      JSON.stringify(progress),
    );
    assert.ok(comms.events.every((e) => e.topic === 'esp8266-flash/flash'));
    assert.ok(comms.events.some((e) => e.data.phase === 'writing'));
    assert.equal(comms.events[comms.events.length - 1].data.phase, 'done');
    const shown = statuses(helper.getNode('flash'));
    assert.ok(
      shown.some((s) => /^writing \d+%$/.test(s.text ?? '')),
      JSON.stringify(shown),
    );
    assert.equal(shown[shown.length - 1].fill, 'green');
  });

  it('flashes a file named in the node', async () => {
    const board = getVirtualBoard('node-file');
    const image = buildTestImage();
    const file = path.join(tempDir, 'app.bin');
    await fs.writeFile(file, image);
    await helper.load([translatingCatalogs, deviceNode, flashNode, catchNode], flow('node-file', { firmware: 'file', file }));
    const result = nextMessage(node('out'));
    node('flash').receive({ payload: 'go' });
    assert.equal((await result).payload.verified, true);
    assert.deepEqual(board.flash.read(0, image.length), image);
  });

  it('writes the bundled bridge firmware byte for byte, and the virtual board recognises it as the bridge', async () => {
    const board = getVirtualBoard('node-bundled');
    const bundled = new Uint8Array(await fs.readFile(BRIDGE_IMAGE_PATH));
    await helper.load([translatingCatalogs, deviceNode, flashNode, catchNode], flow('node-bundled', { firmware: 'bundled' }));
    const result = nextMessage(node('out'));
    node('flash').receive({ payload: '' });
    const msg = await result;
    assert.equal(msg.payload.bytesWritten, bundled.length);
    assert.deepEqual(board.flash.read(0, bundled.length), bundled);
    assert.equal(board.firmwareRunning, true);
  });

  it('writes the image esp8266FlashBundledImage in settings.js names for the bundled choice', async () => {
    const board = getVirtualBoard('node-setting');
    const image = buildTestImage();
    const file = path.join(tempDir, 'own-bridge.bin');
    await fs.writeFile(file, image);
    helper.settings({ esp8266FlashBundledImage: file });
    try {
      await helper.load([translatingCatalogs, deviceNode, flashNode, catchNode], flow('node-setting', { firmware: 'bundled' }));
      const result = nextMessage(node('out'));
      node('flash').receive({ payload: '' });
      assert.equal((await result).payload.bytesWritten, image.length);
      assert.deepEqual(board.flash.read(0, image.length), image);
    } finally {
      helper.settings({});
    }
  });

  it('refuses a flash baud or a file setting the edit dialog refuses, with the same words, without touching the port', async () => {
    const board = getVirtualBoard('node-settings');
    for (const [options, words] of [
      [{ flashBaud: 'fast' }, 'Flash baud: a whole number from 9600 to 4000000'],
      [{ flashBaud: 1200 }, 'Flash baud: a whole number from 9600 to 4000000'],
      [{ firmware: 'file', file: ' ' }, 'File: the path of the image on the server, or address=path pairs'],
    ] as Array<[Record<string, unknown>, string]>) {
      await helper.load([translatingCatalogs, deviceNode, flashNode, catchNode], flow('node-settings', options));
      const shown = statuses(helper.getNode('flash'));
      assert.deepEqual(shown[shown.length - 1], { fill: 'red', shape: 'ring', text: words }, JSON.stringify(options));
      const caught = nextCaught(node('caught'));
      node('flash').receive({ payload: Buffer.from(buildTestImage()) });
      assert.equal((await caught).message, `Error: ${words}`);
      assert.equal(board.connected, false);
      await helper.unload();
    }
  });

  it('refuses a payload that is not a Buffer, through Catch, without touching the port', async () => {
    const board = getVirtualBoard('node-notbuffer');
    await helper.load([translatingCatalogs, deviceNode, flashNode, catchNode], flow('node-notbuffer', {}));
    const caught = nextCaught(node('caught'));
    node('flash').receive({ payload: 'firmware please' });
    assert.match(
      (await caught).message,
      /msg.payload must be a Buffer holding the image, or an array of \{ address, data \} parts, not string/,
    );
    assert.equal(board.connected, false);
    const shown = statuses(helper.getNode('flash'));
    assert.equal(shown[shown.length - 1].fill, 'red');
  });

  it('rejects a corrupted image before the board is touched', async () => {
    const board = getVirtualBoard('node-corrupt');
    const image = buildTestImage();
    image[30] ^= 0x10;
    await helper.load([translatingCatalogs, deviceNode, flashNode, catchNode], flow('node-corrupt', {}));
    const caught = nextCaught(node('caught'));
    node('flash').receive({ payload: Buffer.from(image) });
    assert.match((await caught).message, /invalid firmware image: checksum mismatch/);
    assert.equal(board.connected, false);
    assert.ok(board.flash.read(0, 64).every((byte) => byte === 0xff));
  });

  it('reports a missing file with its path, not whether it exists', async () => {
    getVirtualBoard('node-nofile');
    const missing = path.join(tempDir, 'missing.bin');
    await helper.load([translatingCatalogs, deviceNode, flashNode, catchNode], flow('node-nofile', { firmware: 'file', file: missing }));
    const caught = nextCaught(node('caught'));
    node('flash').receive({ payload: 'go' });
    assert.equal(
      (await caught).message,
      `Error: firmware file ${missing} cannot be read: it must be a regular file that Node-RED may read`,
    );
  });

  it('refuses a second message while a flash runs, and the first one still completes', async () => {
    const board = getVirtualBoard('node-twice');
    const image = buildLargeTestImage(64 * 1024);
    await helper.load([translatingCatalogs, deviceNode, flashNode, catchNode], flow('node-twice', {}));
    const result = nextMessage(node('out'));
    const caught = nextCaught(node('caught'));
    node('flash').receive({ payload: Buffer.from(image) });
    node('flash').receive({ payload: Buffer.from(image) });
    assert.match((await caught).message, /sim:node-twice is already being flashed/);
    assert.equal((await result).payload.verified, true);
    assert.deepEqual(board.flash.read(0, image.length), image);
  });

  it('pauses the readers of the port during the flash and resumes them afterwards', async () => {
    getVirtualBoard('node-readers');
    await helper.load([translatingCatalogs, deviceNode, flashNode, catchNode], flow('node-readers', {}));
    const device = helper.getNode('dev') as unknown as Esp8266DeviceNode;
    const events: string[] = [];
    const detach = device.sharedPort!.attach({ paused: () => events.push('paused'), resumed: () => events.push('resumed') });
    await waitUntil(() => device.sharedPort!.state === 'open', 5000, 'the shared port to open');
    const result = nextMessage(node('out'));
    node('flash').receive({ payload: Buffer.from(buildTestImage()) });
    await result;
    detach();
    assert.deepEqual(events, ['paused', 'resumed']);
  });

  it('lets a running flash finish when the flow is redeployed', async () => {
    const board = getVirtualBoard('node-redeploy');
    const image = buildLargeTestImage(64 * 1024);
    await helper.load([translatingCatalogs, deviceNode, flashNode, catchNode], flow('node-redeploy', { progressOutput: true }));
    const writing = new Promise<void>((resolve) =>
      node('progress').on('input', (msg: { payload: { phase: string } }) => {
        if (msg.payload.phase === 'writing') resolve();
      }),
    );
    node('flash').receive({ payload: Buffer.from(image) });
    await writing;
    await helper.setFlows([{ id: 'tab', type: 'tab' }], 'full');
    assert.deepEqual(board.flash.read(0, image.length), image, 'the redeploy waited for the flash to end');
    assert.equal(board.connected, false, 'and the port was given back');
  });

  it('says the port is lost when the board is unplugged mid-flash', async () => {
    const board = getVirtualBoard('node-unplug');
    await helper.load([translatingCatalogs, deviceNode, flashNode, catchNode], flow('node-unplug', { progressOutput: true }));
    let unplugged = false;
    node('progress').on('input', (msg: { payload: { phase: string } }) => {
      if (msg.payload.phase === 'writing' && !unplugged) {
        unplugged = true;
        board.unplug();
      }
    });
    const caught = nextCaught(node('caught'));
    node('flash').receive({ payload: Buffer.from(buildLargeTestImage(128 * 1024)) });
    assert.match((await caught).message, /went away during the flash/);
    const shown = statuses(helper.getNode('flash'));
    assert.deepEqual(shown[shown.length - 1], { fill: 'red', shape: 'dot', text: 'port lost' });
  });

  it('skips what the board already holds by default, says "already up to date" and still restarts the board', async () => {
    const image = buildLargeTestImage(64 * 1024);
    const board = getVirtualBoard('node-same', { firmware: image });
    await helper.load([translatingCatalogs, deviceNode, flashNode, catchNode], flow('node-same', {}));
    const result = nextMessage(node('out'));
    node('flash').receive({ payload: Buffer.from(image) });
    const msg = await result;
    assert.equal(msg.payload.sectorsWritten, 0);
    assert.equal(msg.payload.sectorsSkipped, Math.ceil(image.length / 4096));
    assert.equal(msg.payload.verified, true);
    assert.equal(msg.payload.restarted, true);
    assert.equal(board.mode, 'running');
    const shown = statuses(helper.getNode('flash'));
    // The test runtime shows message keys; the catalog gives the words.
    assert.deepEqual(shown[shown.length - 1], { fill: 'green', shape: 'dot', text: 'already up to date' });
  });

  it("writes every sector when the node's option is off, and msg.skipUnchanged turns skipping back on", async () => {
    const image = buildLargeTestImage(64 * 1024);
    getVirtualBoard('node-skip-off', { firmware: image });
    await helper.load([translatingCatalogs, deviceNode, flashNode, catchNode], flow('node-skip-off', { skipUnchanged: false }));
    const sectors = Math.ceil(image.length / 4096);
    let result = nextMessage(node('out'));
    node('flash').receive({ payload: Buffer.from(image) });
    assert.deepEqual([(await result).payload.sectorsWritten, (await result).payload.sectorsSkipped], [sectors, 0]);
    result = nextMessage(node('out'));
    node('flash').receive({ payload: Buffer.from(image), skipUnchanged: true });
    assert.deepEqual([(await result).payload.sectorsWritten, (await result).payload.sectorsSkipped], [0, sectors]);
  });

  it('writes every sector when msg.skipUnchanged is false', async () => {
    const image = buildLargeTestImage(64 * 1024);
    const board = getVirtualBoard('node-skip-msg', { firmware: image });
    await helper.load([translatingCatalogs, deviceNode, flashNode, catchNode], flow('node-skip-msg', {}));
    const result = nextMessage(node('out'));
    node('flash').receive({ payload: Buffer.from(image), skipUnchanged: false });
    const msg = await result;
    assert.equal(msg.payload.sectorsWritten, Math.ceil(image.length / 4096));
    assert.deepEqual(board.flash.read(0, image.length), image);
    const shown = statuses(helper.getNode('flash'));
    assert.equal(shown[shown.length - 1].text, `flashed ${Math.ceil(image.length / 1024)} KB`);
  });
});
