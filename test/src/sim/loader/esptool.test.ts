// The real esptool-js 0.7 against the virtual board, through the package's Web-Serial adapter and the
// serialport binding: what the flash node does, checked at the flash-chip level.
import assert from 'node:assert/strict';
import { createHash, randomBytes } from 'node:crypto';
import { readFileSync } from 'node:fs';
import path from 'node:path';
import { SerialPortStream } from '@serialport/stream';
import { createEsptoolLoader, type EsptoolSession } from '../../../../src/esp8266/esptool-adapter';
import { hardReset } from '../../../../src/esp8266/reset';
import { WebSerialAdapter } from '../../../../src/serial/web-serial-adapter';
import { VirtualBinding } from '../../../../src/sim/host/binding';
import { getVirtualBoard, resetVirtualBoards } from '../../../../src/sim/host/registry';
import { buildTestImage, imageWithMarker } from '../../../support/image-builders';
import { RawLoaderClient } from './raw-loader-client';
import { waitUntil } from '../../../support/wait';

const md5 = (data: Uint8Array) => createHash('md5').update(data).digest('hex');

describe('sim with esptool-js 0.7 (binding + Web-Serial adapter)', () => {
  let adapter: WebSerialAdapter | undefined;

  afterEach(async () => {
    await adapter?.close();
    adapter = undefined;
    resetVirtualBoards();
  });

  async function connect(name: string, flashBaud = 921600): Promise<EsptoolSession> {
    adapter = new WebSerialAdapter(
      (baudRate) => new SerialPortStream({ binding: VirtualBinding, path: `sim:${name}`, baudRate, autoOpen: false }),
    );
    const session = await createEsptoolLoader({ adapter, baudRate: flashBaud, romBaudRate: 115200, log: () => undefined });
    await session.loader.main();
    return session;
  }

  it('detects the chip, runs the stub, writes an image compressed, verifies MD5, reads it back and boots it', async () => {
    const board = getVirtualBoard('esptool-write');
    const { loader } = await connect('esptool-write');
    assert.equal(loader.chip.CHIP_NAME, 'ESP8266');
    assert.equal(await loader.readFlashId(), 0x1640ef);
    const mac = await loader.chip.readMac(loader);
    assert.equal(mac, board.macAddress);

    const image = imageWithMarker('test-quiet-firmware', 48 * 1024);
    const extra = randomBytes(20_000);
    await loader.writeFlash({
      fileArray: [
        { data: image, address: 0 },
        { data: extra, address: 0x40000 },
      ],
      flashMode: 'keep',
      flashFreq: 'keep',
      flashSize: 'keep',
      eraseAll: false,
      compress: true,
    });
    assert.deepEqual(board.flash.read(0, image.length), image);
    assert.deepEqual(Buffer.from(board.flash.read(0x40000, extra.length)), extra);
    assert.equal(await loader.flashMd5sum(0, image.length), md5(image));

    const back = await loader.readFlash(0x40000, extra.length);
    assert.deepEqual(Buffer.from(back), extra);

    assert.ok(adapter);
    await hardReset(adapter);
    await waitUntil(() => board.firmwareRunning, 5000, 'the new image to run');
  });

  it('flashes the bundled bridge firmware, which then says hello after a hard reset', async () => {
    const firmware = new Uint8Array(readFileSync(path.resolve(__dirname, '../../../../../firmware/bridge.bin')));
    const board = getVirtualBoard('esptool-bridge');
    const { loader } = await connect('esptool-bridge');
    await loader.writeFlash({
      fileArray: [{ data: firmware, address: 0 }],
      flashMode: 'keep',
      flashFreq: 'keep',
      flashSize: 'keep',
      eraseAll: false,
      compress: true,
    });
    await adapter?.close();
    adapter = undefined;
    const serialConsole = new RawLoaderClient('sim:esptool-bridge', 115200);
    await serialConsole.open();
    try {
      await serialConsole.hardReset();
      // bytes arrive as the wire delivers them: wait for the whole hello, not just its start
      const hello = /\{"type":"hello","firmware":"ds18b20-bridge"/;
      await waitUntil(() => hello.test(Buffer.from(serialConsole.raw).toString('latin1')), 5000, 'the bridge to greet');
    } finally {
      await serialConsole.close();
    }
    const received = Buffer.from(serialConsole.raw).toString('latin1');
    assert.equal(board.firmwareRunning, true);
    assert.match(received, /\{"type":"hello","firmware":"ds18b20-bridge"/);
  });

  it('a write cut short by unplugging leaves an image that does not boot; a retry after replugging does', async () => {
    const segment = randomBytes(64 * 1024);
    segment.write('test-quiet-firmware', 100, 'ascii');
    segment.set([0x06, 0xff, 0xff], 4); // the entry, 0x40100004: `j .`, so the image runs quietly
    const image = buildTestImage({ segments: [{ address: 0x40100000, data: segment }] });
    const board = getVirtualBoard('esptool-cut');
    const first = await connect('esptool-cut');
    let unplugged = false;
    await assert.rejects(
      first.loader.writeFlash({
        fileArray: [{ data: image, address: 0 }],
        flashMode: 'keep',
        flashFreq: 'keep',
        flashSize: 'keep',
        eraseAll: false,
        compress: true,
        reportProgress: (_file, written) => {
          if (written > 0 && !unplugged) {
            unplugged = true;
            board.unplug();
          }
        },
      }),
    );
    assert.ok(unplugged);
    assert.equal(board.mode, 'off');
    await adapter?.close();
    adapter = undefined;

    board.plug();
    const serialConsole = new RawLoaderClient('sim:esptool-cut', 74880);
    await serialConsole.open();
    await serialConsole.hardReset();
    await waitUntil(
      () => /csum err|ets_main\.c/.test(Buffer.from(serialConsole.raw).toString('latin1')),
      5000,
      'the ROM to refuse the image',
    );
    await serialConsole.close();
    assert.equal(board.firmwareRunning, false, 'the half-written image must not run');
    assert.match(Buffer.from(serialConsole.raw).toString('latin1'), /csum err|ets_main\.c/);

    const retry = await connect('esptool-cut');
    await retry.loader.writeFlash({
      fileArray: [{ data: image, address: 0 }],
      flashMode: 'keep',
      flashFreq: 'keep',
      flashSize: 'keep',
      eraseAll: false,
      compress: true,
    });
    assert.ok(adapter);
    await hardReset(adapter);
    await waitUntil(() => board.firmwareRunning, 5000, 'the new image to run');
  });

  it('writes uncompressed through FLASH_BEGIN/FLASH_DATA and erases the whole chip', async () => {
    const board = getVirtualBoard('esptool-plain', { flashSize: 1024 * 1024 });
    const { loader } = await connect('esptool-plain');
    const data = randomBytes(10_000);
    await loader.writeFlash({
      fileArray: [{ data, address: 0x8000 }],
      flashMode: 'keep',
      flashFreq: 'keep',
      flashSize: 'keep',
      eraseAll: false,
      compress: false,
    });
    assert.deepEqual(Buffer.from(board.flash.read(0x8000, data.length)), data);
    await loader.eraseFlash();
    assert.ok(board.flash.read(0, board.flash.size).every((b) => b === 0xff));
  });

  it('soft-resets from the ROM loader as esptool-js does (FLASH_END "run user code"): the flash boots without a reset', async () => {
    const board = getVirtualBoard('esptool-soft-reset', { firmware: imageWithMarker('test-quiet-firmware', 4096) });
    adapter = new WebSerialAdapter(
      (baudRate) => new SerialPortStream({ binding: VirtualBinding, path: 'sim:esptool-soft-reset', baudRate, autoOpen: false }),
    );
    const { loader } = await createEsptoolLoader({ adapter, baudRate: 115200, romBaudRate: 115200, log: () => undefined });
    await loader.detectChip('default_reset');
    assert.equal(board.mode, 'download');
    await loader.softReset(false);
    await waitUntil(() => board.firmwareRunning, 2000, 'the firmware in flash to run');
  });
});
