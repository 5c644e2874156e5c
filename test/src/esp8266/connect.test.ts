import assert from 'node:assert/strict';
import { MAX_AUTO_BAUD, ROM_BAUD_RATE, connectLoader, syncBaudRate } from '../../../src/esp8266/connect';
import { createSerialLink } from '../../../src/serial/open-port';
import { WebSerialAdapter } from '../../../src/serial/web-serial-adapter';
import { getVirtualBoard, resetVirtualBoards } from '../../../src/sim/registry';

describe('connect: reset and sync at the flash rate', () => {
  afterEach(() => resetVirtualBoards());

  it('syncs at the flash rate up to the auto-baud limit, at 115200 above it, and at the rate a caller names', () => {
    assert.equal(syncBaudRate({ flashBaudRate: 460800, reset: 'auto' }), 460800);
    assert.equal(syncBaudRate({ flashBaudRate: MAX_AUTO_BAUD, reset: 'auto' }), MAX_AUTO_BAUD);
    assert.equal(syncBaudRate({ flashBaudRate: 1_500_000, reset: 'auto' }), ROM_BAUD_RATE);
    assert.equal(syncBaudRate({ flashBaudRate: 921600, romBaudRate: 115200, reset: 'auto' }), 115200);
  });

  it('leaves the board\'s ROM speaking the flash rate, the ESP8266 identified', async () => {
    const board = getVirtualBoard('connect-fast');
    const adapter = new WebSerialAdapter((baud) => createSerialLink('sim:connect-fast', baud));
    try {
      const { loader, romBaudRate } = await connectLoader(adapter, { flashBaudRate: 460800, reset: 'auto' }, () => undefined);
      assert.equal(romBaudRate, 460800);
      assert.equal(loader.chip.CHIP_NAME, 'ESP8266');
      assert.equal(board.mode, 'download');
      assert.equal(board.baud, 460800, 'the ROM took the rate from the SYNC packet');
    } finally {
      await adapter.close();
    }
  });
});
