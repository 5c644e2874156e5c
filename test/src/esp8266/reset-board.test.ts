import assert from 'node:assert/strict';
import { hardReset, resetIntoBootloader } from '../../../src/esp8266/reset';
import '../../../src/virtual-ports';
import { createSerialLink } from '../../../src/serial/open-port';
import { WebSerialAdapter } from '../../../src/serial/web-serial-adapter';
import { getVirtualBoard, resetVirtualBoards } from '../../../src/sim/host/registry';
import { buildTestImage } from '../../support/image-builders';

// The same sequences as reset.test.ts, now through the Web-Serial adapter, serialport and the
// virtual board's binding, whose DTR/RTS drive a model of the NodeMCU auto-reset circuit.
describe('reset sequences on the virtual board', () => {
  let adapter: WebSerialAdapter | undefined;
  afterEach(async () => {
    await adapter?.close();
    adapter = undefined;
    resetVirtualBoards();
  });

  async function openBoard(name: string) {
    const board = getVirtualBoard(name, { firmware: buildTestImage() });
    adapter = new WebSerialAdapter((baudRate) => createSerialLink(`sim:${name}`, baudRate));
    await adapter.open({ baudRate: 115200 });
    await adapter.setSignals({ dataTerminalReady: false, requestToSend: false });
    return { board, lines: adapter };
  }

  it('the bootloader reset puts a board that runs its firmware into download mode', async () => {
    const { board, lines } = await openBoard('reset-download');
    assert.equal(board.mode, 'running');
    await resetIntoBootloader(lines);
    assert.equal(board.mode, 'download');
  });

  it('the hard reset boots the firmware again', async () => {
    const { board, lines } = await openBoard('reset-hard');
    await resetIntoBootloader(lines);
    assert.equal(board.mode, 'download');
    await hardReset(lines);
    assert.equal(board.mode, 'running');
  });
});
