import assert from 'node:assert/strict';
import { SerialPortStream } from '@serialport/stream';
import { VirtualBinding } from '../../../../src/sim/host/binding';
import { getVirtualBoard, isVirtualPortPath, resetVirtualBoards } from '../../../../src/sim/host/registry';
import { waitUntil, waitUntilSteady } from '../../../support/wait';
import { buildProgramImage, ECHO_PROGRAM, UNMODELLED_PROGRAM, WATCHDOG_PROGRAM } from '../../../support/sim/firmware-images';
import { buildTestImage, imageWithMarker } from '../../../support/image-builders';
import { RawLoaderClient } from '../loader/raw-loader-client';

const text = (client: RawLoaderClient) => Buffer.from(client.raw).toString('latin1');

describe('sim/board/board (through the serialport binding)', () => {
  const clients: RawLoaderClient[] = [];
  let name = 0;
  const nextName = () => `board-${process.pid}-${++name}`;
  const openClient = async (path: string, baud = 115200) => {
    const client = new RawLoaderClient(path, baud);
    clients.push(client);
    await client.open();
    return client;
  };

  /** A program that greets at 115200 baud and echoes what it receives, upper-cased. */
  let echoImage: Uint8Array;
  before(async function () {
    this.timeout(60000);
    echoImage = await buildProgramImage(ECHO_PROGRAM);
  });
  afterEach(async () => {
    for (const client of clients.splice(0)) await client.close();
    resetVirtualBoards();
  });

  it('names virtual ports sim:<name> and keeps one board per name', () => {
    assert.ok(isVirtualPortPath('sim:kitchen'));
    assert.ok(!isVirtualPortPath('/dev/ttyUSB0'));
    const board = getVirtualBoard('kitchen', { flashSize: 1024 * 1024 });
    assert.equal(getVirtualBoard('kitchen', { flashSize: 2 * 1024 * 1024 }), board, 'options apply only at creation');
    assert.equal(board.flash.size, 1024 * 1024);
    assert.throws(() => getVirtualBoard('bad name!'), /letters, digits/);
  });

  it('lists the boards that exist, as "virtual ESP8266" ports', async () => {
    getVirtualBoard('listed');
    const ports = await VirtualBinding.list();
    assert.deepEqual(
      ports.map((p) => [p.path, p.manufacturer]),
      [['sim:listed', 'virtual ESP8266']],
    );
  });

  it('enters the ROM loader when EN rises with GPIO0 low, printing the banner at 74880 baud', async () => {
    const path = `sim:${nextName()}`;
    const client = await openClient(path, 74880);
    const board = getVirtualBoard(path.slice(4));
    client.discard();
    await client.setLines(false, true); // RTS alone: EN low
    assert.equal(board.mode, 'off');
    await client.setLines(true, false); // EN rises while DTR holds GPIO0 low
    await client.setLines(false, false);
    await waitUntil(() => /boot mode:\(1,6\)/.test(text(client)), 5000, 'the ROM banner');
    assert.equal(board.mode, 'download');
    assert.match(text(client), /ets Jan {2}8 2013,rst cause:2, boot mode:\(1,6\)/);
  });

  it('garbles the 74880-baud banner for a host listening at 115200', async () => {
    const client = await openClient(`sim:${nextName()}`, 115200);
    client.discard();
    await client.resetIntoLoader();
    await waitUntil(() => client.raw.length > 20, 5000, 'the banner bytes');
    assert.doesNotMatch(text(client), /ets|boot mode/);
  });

  it('leaves the board alone when both lines change together, as on port open and close', async () => {
    const path = `sim:${nextName()}`;
    const board = getVirtualBoard(path.slice(4), { firmware: echoImage });
    // past the ROM's boot text and the program's greeting, which nobody was listening to
    await waitUntil(() => (board.uptimeMs ?? 0) > 60, 2000, 'the program to have started');
    const client = await openClient(path);
    // The rest of the boot log may still be on the line when the port opens.
    await waitUntilSteady(() => client.raw.length, 30, 5000, 'the boot output');
    client.discard();
    await client.setLines(true, true);
    await client.setLines(false, false);
    // The program still answers, and nothing came before its answer: no reset, so no banner.
    await client.writeRaw(Buffer.from('x'));
    await waitUntil(() => client.raw.length > 0, 5000, 'the echo');
    assert.equal(board.firmwareRunning, true);
    assert.equal(text(client), 'X');
  });

  it('boots a valid image from flash on a hard reset and runs it on the CPU, at the rate the program sets', async () => {
    const path = `sim:${nextName()}`;
    const board = getVirtualBoard(path.slice(4), { firmware: echoImage });
    const client = await openClient(path);
    client.discard();
    await client.hardReset();
    await waitUntil(() => /echo ready\n$/.test(text(client)), 2000, 'the program to greet');
    assert.equal(board.mode, 'running');
    assert.equal(board.firmwareRunning, true);
    assert.doesNotMatch(text(client), /ets Jan/, 'the 74880 boot log is noise at 115200');
    client.discard();
    await client.writeRaw(Buffer.from('abc'));
    await waitUntil(() => text(client) === 'ABC', 2000, 'the echo');
  });

  it('prints the load log at 74880 baud on a flash boot', async () => {
    const path = `sim:${nextName()}`;
    getVirtualBoard(path.slice(4), { firmware: imageWithMarker('test-echo-firmware') });
    const client = await openClient(path, 74880);
    client.discard();
    await client.hardReset();
    await waitUntil(() => /csum/.test(text(client)), 2000, 'the load log');
    assert.match(text(client), /boot mode:\(3,6\)\r\n\r\nload 0x40100000, len 256, room 16/);
  });

  it('does not start anything from a corrupted or half-written image', async () => {
    const corrupted = imageWithMarker('test-echo-firmware');
    corrupted[100] ^= 0x40;
    const halfWritten = new Uint8Array(imageWithMarker('test-echo-firmware', 8192)).fill(0xff, 4096);
    for (const firmware of [corrupted, halfWritten]) {
      const path = `sim:${nextName()}`;
      const board = getVirtualBoard(path.slice(4), { firmware });
      const client = await openClient(path, 74880);
      client.discard();
      await client.hardReset();
      await waitUntil(() => /ets_main\.c/.test(text(client)), 5000, 'the ROM to give up on the image');
      assert.equal(board.mode, 'running');
      assert.equal(board.firmwareRunning, false);
      assert.match(text(client), /ets_main\.c/);
    }
  });

  it('stops the CPU on an image of garbage, with the fault in the board log', async () => {
    const path = `sim:${nextName()}`;
    const garbage = buildTestImage({ segments: [{ address: 0x40100000, data: new Uint8Array(64).fill(0xff) }] });
    const board = getVirtualBoard(path.slice(4), { firmware: garbage });
    await waitUntil(() => board.log.some((m) => m.startsWith('CPU stopped')), 2000, 'the fault report');
    assert.equal(board.firmwareRunning, false);
    assert.match(board.log.join('\n'), /CPU stopped at 0x40000050: unhandled user exception at 0x40100004.*cause 0 \(IllegalInstruction\)/);
  });

  it('runs an image that touches an unmodelled register on, naming the register in the board log', async () => {
    const path = `sim:${nextName()}`;
    const board = getVirtualBoard(path.slice(4), { firmware: await buildProgramImage(UNMODELLED_PROGRAM) });
    const client = await openClient(path);
    await waitUntil(() => text(client).endsWith('before\nafter\n'), 2000, 'the program to carry on');
    assert.deepEqual(board.log, ['unmodelled write of 0x3e8 to FRC register 0x60000600']);
    assert.equal(board.firmwareRunning, true);
  });

  it('resets the chip when the hardware watchdog is enabled and never fed, and the ROM says so', async () => {
    const path = `sim:${nextName()}`;
    getVirtualBoard(path.slice(4), { firmware: await buildProgramImage(WATCHDOG_PROGRAM) });
    const client = await openClient(path, 74880);
    await waitUntil(() => /rst cause:4, boot mode:\(3,6\)/.test(text(client)), 3000, 'a watchdog reset');
    const board = getVirtualBoard(path.slice(4));
    assert.ok(board.log.includes('the hardware watchdog reset the chip'));
  });

  it('drops DTR and RTS on close unless HUPCL is off', async () => {
    const path = `sim:${nextName()}`;
    const board = getVirtualBoard(path.slice(4));
    const holding = await VirtualBinding.open({ path, baudRate: 115200, hupcl: false });
    await holding.set({ dtr: false, rts: true }); // EN held low
    await holding.close();
    assert.equal(board.mode, 'off', 'without HUPCL the lines keep the chip in reset');
    const hangingUp = await VirtualBinding.open({ path, baudRate: 115200 });
    await hangingUp.set({ dtr: false, rts: true });
    await hangingUp.close();
    assert.equal(board.mode, 'running', 'HUPCL releases RTS, so EN rises and the chip boots');
  });

  it('refuses a second open of the same board (the port is locked)', async () => {
    const path = `sim:${nextName()}`;
    await openClient(path);
    const second = new RawLoaderClient(path);
    await assert.rejects(second.open(), /lock|busy/i);
  });

  it('unplug: the open port closes with a disconnect error, opens fail like a vanished tty; plug brings it back', async () => {
    const path = `sim:${nextName()}`;
    const board = getVirtualBoard(path.slice(4));
    const port = new SerialPortStream({ binding: VirtualBinding, path, baudRate: 115200 });
    await new Promise<void>((resolve, reject) => port.once('open', resolve).once('error', reject));
    const closed = new Promise<Error | null>((resolve) => port.once('close', (error: Error | null) => resolve(error)));
    port.resume();
    board.unplug();
    const closeError: (Error & { disconnected?: boolean }) | null = await closed;
    assert.ok(closeError, 'close carries an error');
    assert.equal(closeError.disconnected, true);
    assert.equal(board.mode, 'off');
    assert.deepEqual(await VirtualBinding.list(), []);
    await assert.rejects(VirtualBinding.open({ path, baudRate: 115200 }), (error: NodeJS.ErrnoException) => error.code === 'ENOENT');

    board.plug();
    const client = await openClient(path, 74880);
    await client.resetIntoLoader();
    await waitUntil(() => board.mode === 'download', 5000, 'the ROM loader');
  });

  it('a write to an unplugged board fails instead of hanging', async () => {
    const path = `sim:${nextName()}`;
    const board = getVirtualBoard(path.slice(4));
    const port = await VirtualBinding.open({ path, baudRate: 115200 });
    board.unplug();
    await assert.rejects(port.write(Buffer.from('x')), /EIO/);
    await assert.rejects(port.read(Buffer.alloc(8), 0, 8), /unplugged/);
    await port.close();
  });
});
