import assert from 'node:assert/strict';
import { FlashError } from '../../../src/esp8266/flash-errors';
import { flashOnSharedPort } from '../../../src/esp8266/flash-on-shared-port';
import '../../../src/virtual-ports';
import { createSerialLink } from '../../../src/serial/open-port';
import { SharedPort, acquireSharedPort } from '../../../src/serial/shared-port';
import { getVirtualBoard, resetVirtualBoards } from '../../../src/sim/host/registry';
import { buildTestImage } from '../../support/image-builders';
import { waitUntil } from '../../support/wait';

function isFlashError(code: string, pattern: RegExp) {
  return (error: unknown) => error instanceof FlashError && error.code === code && pattern.test(error.message);
}

describe('flashing a shared port', () => {
  let port: SharedPort | undefined;
  afterEach(async () => {
    await port?.releaseReference();
    port = undefined;
    resetVirtualBoards();
  });

  async function sharedPortWithReader(name: string, firmware?: Uint8Array) {
    const board = getVirtualBoard(name, firmware ? { firmware } : undefined);
    port = acquireSharedPort({ path: `sim:${name}`, baudRate: 115200, createLink: createSerialLink });
    const events: string[] = [];
    const shared = port;
    shared.attach({ paused: () => events.push('paused'), resumed: () => events.push('resumed') });
    await waitUntil(() => shared.state === 'open', 5000, 'the shared port to open');
    return { board, port, events };
  }

  it('pauses the readers, flashes, and gives the port back', async () => {
    const { board, port: shared, events } = await sharedPortWithReader('shared-ok');
    const image = buildTestImage();
    const result = await flashOnSharedPort(shared, { image, createLink: createSerialLink, flashBaudRate: 921600, reset: 'auto' });
    assert.equal(result.port, 'sim:shared-ok');
    assert.deepEqual(board.flash.read(0, image.length), image);
    assert.deepEqual(events, ['paused', 'resumed']);
    assert.equal(shared.state, 'open');
  });

  it('refuses a bad image without pausing anyone', async () => {
    const { port: shared, events } = await sharedPortWithReader('shared-bad');
    const image = buildTestImage();
    image[0] = 0xea;
    await assert.rejects(
      flashOnSharedPort(shared, { image, createLink: createSerialLink, flashBaudRate: 921600, reset: 'auto' }),
      isFlashError('invalid-image', /v2/),
    );
    assert.deepEqual(events, []);
    assert.equal(shared.state, 'open');
  });

  it('refuses a second flash while one holds the port', async () => {
    const { port: shared } = await sharedPortWithReader('shared-held');
    const lease = await shared.acquireExclusive();
    try {
      await assert.rejects(
        flashOnSharedPort(shared, { image: buildTestImage(), createLink: createSerialLink, flashBaudRate: 921600, reset: 'auto' }),
        isFlashError('already-flashing', /sim:shared-held is already being flashed/),
      );
    } finally {
      await lease.release();
    }
  });

  it('gives the port back after a failed flash', async () => {
    const { port: shared, events } = await sharedPortWithReader('shared-fail', buildTestImage());
    await assert.rejects(
      flashOnSharedPort(shared, {
        image: buildTestImage(),
        createLink: createSerialLink,
        flashBaudRate: 921600,
        reset: 'none',
        connectAttempts: 1,
      }),
      isFlashError('no-answer', /hold BOOT\/FLASH/),
    );
    assert.deepEqual(events, ['paused', 'resumed']);
    assert.equal(shared.state, 'open');
  });
});
