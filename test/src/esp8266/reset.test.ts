import assert from 'node:assert/strict';
import { ControlLinePort, hardReset, resetIntoBootloader } from '../../../src/esp8266/reset';

// The NodeMCU / Wemos D1 mini auto-reset circuit: EN is low only when RTS is asserted and DTR is
// not; GPIO0 is low only when DTR is asserted and RTS is not. On EN rising, GPIO0 picks the boot.
class AutoResetCircuit implements ControlLinePort {
  en = true;
  gpio0 = true;
  readonly boots: Array<'download' | 'flash'> = [];
  readonly states: string[] = [];

  async setSignals(signals: { dataTerminalReady: boolean; requestToSend: boolean }): Promise<void> {
    const { dataTerminalReady: dtr, requestToSend: rts } = signals;
    const en = !(rts && !dtr);
    this.gpio0 = !(dtr && !rts);
    if (en && !this.en) this.boots.push(this.gpio0 ? 'flash' : 'download');
    this.en = en;
    this.states.push(`EN=${en ? 1 : 0} IO0=${this.gpio0 ? 1 : 0}`);
  }
}

describe('reset sequences on the two-transistor auto-reset circuit', () => {
  const waits: number[] = [];
  const recordWait = async (ms: number) => {
    waits.push(ms);
  };
  beforeEach(() => {
    waits.length = 0;
  });

  it('classic reset releases EN while GPIO0 is low: the board starts the ROM loader', async () => {
    const board = new AutoResetCircuit();
    await resetIntoBootloader(board, 50, recordWait);
    assert.deepEqual(board.boots, ['download']);
    assert.deepEqual(board.states, ['EN=0 IO0=1', 'EN=1 IO0=0', 'EN=1 IO0=1']);
    assert.deepEqual(waits, [100, 50]);
  });

  it('hard reset pulses EN with GPIO0 high: the board boots from flash and GPIO0 is left released', async () => {
    const board = new AutoResetCircuit();
    await hardReset(board, recordWait);
    assert.deepEqual(board.boots, ['flash']);
    assert.equal(board.gpio0, true);
    assert.deepEqual(waits, [100]);
  });

  it('a hard reset after a bootloader reset boots the application', async () => {
    const board = new AutoResetCircuit();
    await resetIntoBootloader(board, 550, recordWait);
    await hardReset(board, recordWait);
    assert.deepEqual(board.boots, ['download', 'flash']);
  });
});
