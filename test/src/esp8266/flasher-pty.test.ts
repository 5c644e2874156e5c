import assert from 'node:assert/strict';
import { SerialPort } from 'serialport';
import { FlashError } from '../../../src/esp8266/flash-errors';
import { flashImage } from '../../../src/esp8266/flasher';
import { loadFirmware } from '../../../src/esp8266/firmware-source';
import { createSerialLink } from '../../../src/serial/open-port';
import { PtyAttachment, attachBoardToPty } from '../../../src/sim/host/pty';
import { getVirtualBoard, resetVirtualBoards } from '../../../src/sim/host/registry';
import { buildLargeTestImage, buildTestImage, md5Hex } from '../../support/image-builders';

function isFlashError(code: string, pattern: RegExp) {
  return (error: unknown) => error instanceof FlashError && error.code === code && pattern.test(error.message);
}

// The virtual board behind a real tty (a socat pseudo-terminal pair), reached through serialport's
// native binding like a USB-UART. A pty has no DTR/RTS, so the board waits in its ROM loader.
describe('flasher through a real tty (socat pty) to the virtual ESP8266', () => {
  let attachment: PtyAttachment | undefined;
  let holder: SerialPort | undefined;
  afterEach(async () => {
    if (holder?.isOpen) await new Promise((resolve) => holder!.close(resolve));
    holder = undefined;
    await attachment?.close();
    attachment = undefined;
    resetVirtualBoards();
  });

  it('writes and verifies an image with reset "none"; the flash reads back byte-exact', async () => {
    const board = getVirtualBoard('pty-flash');
    attachment = await attachBoardToPty(board);
    const image = buildLargeTestImage(64 * 1024);
    const result = await flashImage({
      path: attachment.hostPath,
      image,
      createLink: createSerialLink,
      reset: 'none',
      flashBaudRate: 460800,
    });
    assert.equal(result.verified, true);
    assert.equal(result.md5, md5Hex(image));
    assert.equal(result.port, attachment.hostPath);
    assert.deepEqual(board.flash.read(0, image.length), image);
  });

  it('writes the bundled bridge firmware, which runs after a press of RESET', async () => {
    const board = getVirtualBoard('pty-bundled');
    attachment = await attachBoardToPty(board);
    const [{ data: bundled }] = await loadFirmware({ source: 'bundled' });
    const result = await flashImage({
      path: attachment.hostPath,
      image: bundled,
      createLink: createSerialLink,
      reset: 'none',
      flashBaudRate: 921600,
    });
    assert.equal(result.restarted, false, 'a pty cannot pulse EN');
    assert.deepEqual(board.flash.read(0, bundled.length), bundled);
    board.pressReset();
    assert.equal(board.firmwareRunning, true);
  });

  it('says the port is busy when another program holds the tty', async () => {
    const board = getVirtualBoard('pty-busy');
    attachment = await attachBoardToPty(board);
    holder = new SerialPort({ path: attachment.hostPath, baudRate: 115200, autoOpen: false });
    await new Promise<void>((resolve, reject) => holder!.open((error) => (error ? reject(error) : resolve())));
    await assert.rejects(
      flashImage({
        path: attachment.hostPath,
        image: buildTestImage(),
        createLink: createSerialLink,
        reset: 'none',
        flashBaudRate: 460800,
      }),
      isFlashError('port-busy', /another program holds \/dev\/pts\/\d+: close it, or disable the serial node using it/),
    );
    assert.ok(board.flash.read(0, 64).every((byte) => byte === 0xff));
  });

  it('explains that a tty without control lines needs reset "none"', async () => {
    const board = getVirtualBoard('pty-lines');
    attachment = await attachBoardToPty(board);
    await assert.rejects(
      flashImage({
        path: attachment.hostPath,
        image: buildTestImage(),
        createLink: createSerialLink,
        reset: 'auto',
        flashBaudRate: 460800,
      }),
      isFlashError('no-control-lines', /has no DTR\/RTS control lines: set the device's reset to "none"/),
    );
  });

  it('says a path that does not exist is missing', async () => {
    await assert.rejects(
      flashImage({
        path: '/dev/ttyNOSUCHPORT9',
        image: buildTestImage(),
        createLink: createSerialLink,
        reset: 'auto',
        flashBaudRate: 460800,
      }),
      isFlashError('port-missing', /\/dev\/ttyNOSUCHPORT9 does not exist/),
    );
  });
});
