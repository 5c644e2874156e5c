import { strict as assert } from 'assert';
import { promises as fs } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import helper from 'node-red-node-test-helper';
import deviceNode from '../../../nodes/esp8266-device/esp8266-device';
import flashNode from '../../../nodes/esp8266-flash/esp8266-flash';
import { getVirtualBoard, resetVirtualBoards } from '../../../src/sim/host/registry';
import { buildTestImage, md5Hex, patternBytes } from '../../support/image-builders';
import { TestNode, nextMessage, recordComms, statuses } from './flash-test-kit';
import { translatingCatalogs } from '../../support/catalogs';

const injectNode: unknown = require('@node-red/nodes/core/common/20-inject.js'); // eslint-disable-line @typescript-eslint/no-require-imports -- a Node-RED core node: plain JavaScript, no types

helper.init(require.resolve('node-red'));

const MEGABYTE = 1024 * 1024;

/** About 1 MB of firmware-like data: compresses to roughly half, as real code does. */
function oneMegabyteImage(): Uint8Array {
  const lowEntropy = (length: number, seed: number) => patternBytes(length, seed).map((byte) => byte & 0x0f);
  const image = buildTestImage({
    segments: [
      { address: 0x40100000, data: lowEntropy(32 * 1024, 21) },
      { address: 0x3ffe8000, data: lowEntropy(16 * 1024, 22) },
      { address: 0x40201010, data: lowEntropy(MEGABYTE - 48 * 1024 - 64, 23) },
    ],
  });
  assert.ok(image.length >= MEGABYTE - 64 && image.length <= MEGABYTE);
  return image;
}

describe('flow: inject → esp8266-flash on a virtual board', () => {
  let tempDir: string;
  before(async () => {
    tempDir = await fs.mkdtemp(path.join(os.tmpdir(), 'flash-flow-'));
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

  it('writes and verifies a 1 MB image at 921600 baud with live progress', async function () {
    this.timeout(90000);
    const board = getVirtualBoard('flow-1mb');
    const image = oneMegabyteImage();
    const file = path.join(tempDir, 'one-megabyte.bin');
    await fs.writeFile(file, image);
    const comms = recordComms();
    const flow = [
      { id: 'tab', type: 'tab' },
      { id: 'dev', type: 'esp8266-device', port: 'sim:flow-1mb', baud: 115200, reset: 'auto' },
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
        wires: [['flash']],
      },
      {
        id: 'flash',
        z: 'tab',
        type: 'esp8266-flash',
        device: 'dev',
        firmware: 'file',
        file,
        flashBaud: 921600,
        verify: true,
        eraseAll: false,
        progressOutput: true,
        wires: [['out'], ['progress']],
      },
      { id: 'out', z: 'tab', type: 'helper' },
      { id: 'progress', z: 'tab', type: 'helper' },
    ];
    const progress: number[] = [];
    await helper.load([translatingCatalogs, deviceNode, flashNode, injectNode], flow);
    (helper.getNode('progress') as unknown as TestNode).on('input', (msg: { payload: { percent: number } }) =>
      progress.push(msg.payload.percent),
    );
    const msg = await nextMessage(helper.getNode('out'), 85000);
    comms.stop();

    assert.equal(msg.payload.verified, true);
    assert.equal(msg.payload.md5, md5Hex(image));
    assert.equal(msg.payload.bytesWritten, image.length);
    assert.equal(msg.payload.flashBaudRate, 921600);
    assert.ok(msg.payload.compressedBytes < image.length);
    assert.deepEqual(board.flash.read(0, image.length), image);
    assert.equal(board.mode, 'running');

    // Live progress: many updates while writing, in order, seen by the editor and the second output.
    const writing = comms.events.filter((e) => e.data.phase === 'writing');
    assert.ok(writing.length >= 5, `only ${writing.length} writing updates reached the editor`);
    assert.deepEqual(
      [...progress].sort((a, b) => a - b),
      progress,
    );
    assert.ok(progress.filter((p) => p > 15 && p < 95).length >= 5);
    assert.ok(statuses(helper.getNode('flash')).some((s) => /^writing \d+%$/.test(s.text ?? '')));
  });
});
