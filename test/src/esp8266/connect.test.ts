import assert from 'node:assert/strict';
import { MAX_AUTO_BAUD, ROM_BAUD_RATE, connectLoader, syncBaudRate } from '../../../src/esp8266/connect';
import '../../../src/virtual-ports';
import { createSerialLink } from '../../../src/serial/open-port';
import { WebSerialAdapter } from '../../../src/serial/web-serial-adapter';
import { getVirtualBoard, resetVirtualBoards } from '../../../src/sim/host/registry';

describe('connect: reset and sync at the flash rate', () => {
  afterEach(() => resetVirtualBoards());

  it('syncs at the flash rate up to the auto-baud limit, at 115200 above it, and at the rate a caller names', () => {
    assert.equal(syncBaudRate({ flashBaudRate: 460800, reset: 'auto' }), 460800);
    assert.equal(syncBaudRate({ flashBaudRate: MAX_AUTO_BAUD, reset: 'auto' }), MAX_AUTO_BAUD);
    assert.equal(syncBaudRate({ flashBaudRate: 1_500_000, reset: 'auto' }), ROM_BAUD_RATE);
    assert.equal(syncBaudRate({ flashBaudRate: 921600, romBaudRate: 115200, reset: 'auto' }), 115200);
  });

  it("leaves the board's ROM speaking the flash rate, the ESP8266 identified", async () => {
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

  it('falls back to 115200 after one unanswered SYNC when the ROM hears only 115200, and resets again', async () => {
    const board = getVirtualBoard('connect-fallback', { romBaudOnly: 115200 });
    const adapter = new WebSerialAdapter((baud) => createSerialLink('sim:connect-fallback', baud));
    const lines: string[] = [];
    try {
      const { loader, romBaudRate } = await connectLoader(adapter, { flashBaudRate: 460800, reset: 'auto' }, (line) => lines.push(line));
      assert.equal(romBaudRate, 115200);
      assert.equal(loader.chip.CHIP_NAME, 'ESP8266');
      assert.equal(board.baud, 115200);
      assert.equal(lines.filter((line) => /no answer at 460800 baud/.test(line)).length, 1);
    } finally {
      await adapter.close();
    }
  });
});
