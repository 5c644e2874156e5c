import assert from 'node:assert/strict';
import { SerialPortStream } from '@serialport/stream';
import type { ApplicationKind, ApplicationHost } from '../../../src/sim/application';
import { applicationKinds } from '../../../src/sim/applications';
import { VirtualBinding } from '../../../src/sim/binding';
import { getVirtualBoard, isVirtualPortPath, resetVirtualBoards } from '../../../src/sim/registry';
import { imageWithMarker } from './image-builder';
import { RawLoaderClient } from './raw-loader-client';
import { waitUntil, waitUntilSteady } from '../../support/wait';

/** A firmware that greets at boot and echoes what it receives, upper-cased. */
const echoKind: ApplicationKind = {
  name: 'test-echo',
  baud: 115200,
  matches: (image) => Buffer.from(image).includes('test-echo-firmware'),
  start(host: ApplicationHost) {
    host.transmit(Buffer.from('echo ready\n'));
    let stopped = false;
    return {
      receive: (bytes) => {
        if (!stopped) host.transmit(Buffer.from(Buffer.from(bytes).toString('latin1').toUpperCase(), 'latin1'));
      },
      stop: () => {
        stopped = true;
      },
    };
  },
};

const text = (client: RawLoaderClient) => Buffer.from(client.raw).toString('latin1');

describe('sim/board (through the serialport binding)', () => {
  const clients: RawLoaderClient[] = [];
  let name = 0;
  const nextName = () => `board-${process.pid}-${++name}`;
  const openClient = async (path: string, baud = 115200) => {
    const client = new RawLoaderClient(path, baud);
    clients.push(client);
    await client.open();
    return client;
  };

  before(() => applicationKinds.push(echoKind));
  after(() => applicationKinds.splice(applicationKinds.indexOf(echoKind), 1));
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
    assert.deepEqual(ports.map((p) => [p.path, p.manufacturer]), [['sim:listed', 'virtual ESP8266']]);
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
    const board = getVirtualBoard(path.slice(4), { firmware: imageWithMarker('test-echo-firmware') });
    await waitUntil(() => board.runningApplication === 'test-echo', 5000, 'the application to start');
    const client = await openClient(path);
    // The rest of the boot log may still be on the line when the port opens.
    await waitUntilSteady(() => client.raw.length, 30, 5000, 'the boot output');
    client.discard();
    await client.setLines(true, true);
    await client.setLines(false, false);
    // The application still answers, and nothing came before its answer: no reset, so no banner.
    await client.writeRaw(Buffer.from('x'));
    await waitUntil(() => client.raw.length > 0, 5000, 'the echo');
    assert.equal(board.runningApplication, 'test-echo');
    assert.equal(text(client), 'X');
  });

  it('boots a valid image from flash on a hard reset and runs the matching application at its baud', async () => {
    const path = `sim:${nextName()}`;
    const board = getVirtualBoard(path.slice(4), { firmware: imageWithMarker('test-echo-firmware') });
    const client = await openClient(path);
    client.discard();
    await client.hardReset();
    await waitUntil(() => /echo ready\n$/.test(text(client)), 5000, 'the application to greet');
    assert.equal(board.mode, 'running');
    assert.equal(board.runningApplication, 'test-echo');
    client.discard();
    await client.writeRaw(Buffer.from('abc'));
    await waitUntil(() => client.raw.length >= 3, 5000, 'the echo');
    assert.equal(text(client), 'ABC');
  });

  it('prints the load log at 74880 baud on a flash boot', async () => {
    const path = `sim:${nextName()}`;
    getVirtualBoard(path.slice(4), { firmware: imageWithMarker('test-echo-firmware') });
    const client = await openClient(path, 74880);
    client.discard();
    await client.hardReset();
    await waitUntil(() => /room 16/.test(text(client)), 5000, 'the load log');
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
      assert.equal(board.runningApplication, undefined);
    }
  });

  it('runs nothing from an image no application kind recognises', async () => {
    const path = `sim:${nextName()}`;
    const board = getVirtualBoard(path.slice(4), { firmware: imageWithMarker('some-other-sketch') });
    const client = await openClient(path);
    await client.hardReset();
    await waitUntil(() => board.mode === 'running', 5000, 'the board to boot');
    await waitUntilSteady(() => client.raw.length, 50, 5000, 'the boot log');
    client.discard();
    await client.writeRaw(Buffer.from('hello'));
    await waitUntilSteady(() => client.raw.length, 100, 5000, 'the bytes received');
    assert.equal(board.runningApplication, undefined);
    assert.equal(client.raw.length, 0);
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
