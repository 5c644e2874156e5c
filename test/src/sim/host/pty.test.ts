// The virtual board behind a socat pseudo-terminal follows the line rate the host tool set on its tty,
// as a board behind a USB-UART does: reached here through serialport's native binding on /dev/pts.
import assert from 'node:assert/strict';
import { readFileSync } from 'node:fs';
import path from 'node:path';
import { SerialPort } from 'serialport';
import { FlashError } from '../../../../src/esp8266/flash-errors';
import { flashImage } from '../../../../src/esp8266/flasher';
import { createSerialLink } from '../../../../src/serial/open-port';
import { PtyAttachment, attachBoardToPty } from '../../../../src/sim/host/pty';
import { getVirtualBoard, resetVirtualBoards } from '../../../../src/sim/host/registry';
import { buildTestImage } from '../../../support/image-builders';
import { waitUntil, waitUntilSteady } from '../../../support/wait';

const BRIDGE = readFileSync(path.resolve(__dirname, '../../../../../firmware/bridge.bin'));
const HELLO = /\{"type":"hello","firmware":"ds18b20-bridge"/;

function openPort(tty: string, baudRate: number): Promise<SerialPort> {
  const port = new SerialPort({ path: tty, baudRate, autoOpen: false });
  return new Promise((resolve, reject) => port.open((error) => (error ? reject(error) : resolve(port))));
}

function closePort(port: SerialPort): Promise<void> {
  return new Promise((resolve) => (port.isOpen ? port.close(() => resolve()) : resolve()));
}

/**
 * Reads the host end until it falls quiet. The ROM's boot text, sent while no tool has the tty open,
 * waits in the pty (a USB-UART would drop it); sampled at another rate it is garbage that may hold
 * SLIP frame ends, which could reach the next tool after it flushed its input.
 */
async function drainHostEnd(tty: string): Promise<void> {
  const port = await openPort(tty, 115200);
  let received = 0;
  port.on('data', (chunk: Buffer) => (received += chunk.length));
  try {
    await waitUntilSteady(() => received, 100, 5000, 'the bytes waiting in the pty');
  } finally {
    await closePort(port);
  }
}

describe('sim/host/pty: the board follows the rate set on the host tty', () => {
  let attachment: PtyAttachment | undefined;
  let port: SerialPort | undefined;
  afterEach(async () => {
    if (port) await closePort(port);
    port = undefined;
    await attachment?.close();
    attachment = undefined;
    resetVirtualBoards();
  });

  const flash = (baud: number, log?: (line: string) => void) =>
    flashImage({
      path: attachment!.hostPath,
      image: buildTestImage(),
      createLink: createSerialLink,
      reset: 'none',
      flashBaudRate: baud,
      connectAttempts: 2,
      log,
    });

  it('the ROM auto-bauds on the SYNC; a stub left at 460800 answers no session at 115200; after RESET the ROM auto-bauds again', async () => {
    const board = getVirtualBoard('pty-rates');
    attachment = await attachBoardToPty(board);
    const first = await flash(460800);
    assert.equal(first.verified, true);
    assert.equal(board.baud, 460800, 'the ROM locked onto the rate of the SYNC, and the stub stayed there');
    await assert.rejects(flash(115200), (error) => error instanceof FlashError && error.code === 'no-answer');
    assert.equal(board.baud, 460800, 'the stub ignored the bytes sent at 115200');
    const again = await flash(460800);
    assert.equal(again.sectorsWritten, 0, "a second session at the stub's rate is answered");
    board.pressReset(true); // RESET with FLASH held, as a person does before starting the tool
    await drainHostEnd(attachment.hostPath);
    const afterReset = await flash(115200);
    assert.equal(afterReset.verified, true);
    assert.equal(board.baud, 115200);
  });

  it("the bridge firmware's 115200 reads as garbage at 460800 and as text at 115200", async () => {
    const board = getVirtualBoard('pty-garbage', { firmware: BRIDGE });
    attachment = await attachBoardToPty(board);
    let received = Buffer.alloc(0);
    port = await openPort(attachment.hostPath, 460800);
    port.on('data', (chunk: Buffer) => (received = Buffer.concat([received, chunk])));
    board.pressReset(false); // the firmware boots and says hello at 115200
    await waitUntil(() => board.firmwareRunning && received.length >= 200, 5000, 'the boot output at the wrong rate');
    assert.doesNotMatch(received.toString('latin1'), /hello|ets Jan/);
    assert.ok(
      received.every((byte) => byte >= 0x80),
      'every byte sampled at the wrong rate is garbage',
    );

    await new Promise<void>((resolve, reject) => port!.update({ baudRate: 115200 }, (error) => (error ? reject(error) : resolve())));
    received = Buffer.alloc(0);
    board.pressReset(false);
    await waitUntil(() => HELLO.test(received.toString('latin1')), 5000, 'the hello at 115200');
  });

  it('with a ROM that hears only 115200, the flasher at 460800 falls back and still writes at 460800', async () => {
    const board = getVirtualBoard('pty-rom-115200', { romBaudOnly: 115200 });
    attachment = await attachBoardToPty(board);
    const lines: string[] = [];
    const result = await flash(460800, (line) => lines.push(line));
    assert.ok(
      lines.some((line) => /no answer at 460800 baud; syncing at 115200/.test(line)),
      'the fast sync went unanswered',
    );
    assert.equal(result.verified, true);
    assert.equal(result.flashBaudRate, 460800);
    assert.equal(board.baud, 460800, 'the stub changed to the flash rate');
  });
});
