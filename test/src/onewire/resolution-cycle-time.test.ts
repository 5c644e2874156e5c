// A read cycle's length follows the resolution: the bridge firmware on the virtual board waits for its
// DS18B20 models' conversion, 93.75 ms at 9 bit against 750 ms at 12. Measured in the board's virtual
// time, so a busy host does not change the figure; speed targets themselves are in `npm run bench -- read`.
import { strict as assert } from 'assert';
import { readFileSync } from 'fs';
import * as path from 'path';
import { BridgeSource } from '../../../src/onewire/sensor-source';
import { createSerialLink } from '../../../src/serial/open-port';
import { acquireSharedPort } from '../../../src/serial/shared-port';
import '../../../src/virtual-ports';
import { getVirtualBoard, resetVirtualBoards } from '../../../src/sim/host/registry';
import { setDefaultSensors } from '../../../src/sim/onewire/sensor-bus';

const BRIDGE_IMAGE = readFileSync(path.resolve(__dirname, '../../../../firmware/bridge.bin'));

/** The shortest of five read cycles of two DS18B20s, in virtual ms, at `bits` (undefined: as they are, 12). */
async function shortestCycleMs(name: string, bits: number | undefined): Promise<number> {
  setDefaultSensors({
    sensors: [
      { ident: '28-0316a27950ff', temperature: 21.5 },
      { ident: '28-0416b3c4d5e6', temperature: 4.25 },
    ],
  });
  const board = getVirtualBoard(name, { firmware: BRIDGE_IMAGE });
  const port = acquireSharedPort({ path: `sim:${name}`, baudRate: 115200, createLink: createSerialLink });
  const source = new BridgeSource(port, bits === undefined ? {} : { resolution: bits });
  try {
    const first = await source.read(); // finds the board, sets the resolution
    assert.equal(first.outcomes.length, 2);
    const cycles: number[] = [];
    for (let i = 0; i < 5; i++) {
      const started = board.uptimeMs as number;
      const cycle = await source.read();
      cycles.push((board.uptimeMs as number) - started);
      assert.deepEqual(
        cycle.outcomes.map((o) => o.ok && o.reading.resolution),
        [bits ?? 12, bits ?? 12],
      );
    }
    return Math.min(...cycles);
  } finally {
    source.close();
    await port.releaseReference();
  }
}

describe('onewire read cycle time by resolution (virtual board, bridge firmware)', function () {
  this.timeout(30000);

  afterEach(() => {
    resetVirtualBoards();
    setDefaultSensors({});
  });

  it('takes 93.75 ms of conversion plus the bus time at 9 bit, where 12 bit takes 750 ms plus the same', async () => {
    const twelve = await shortestCycleMs('cycle-12', undefined);
    const nine = await shortestCycleMs('cycle-9', 9);
    // What is not conversion: the 1-Wire traffic, the serial lines, the host's turn-around.
    const busMs = twelve - 750;
    assert.ok(busMs > 0 && busMs < 200, `12 bit: ${twelve.toFixed(1)} ms`);
    assert.ok(nine >= 93.75, `9 bit: ${nine.toFixed(1)} ms, shorter than its conversion`);
    // The bus time is the same at both resolutions, but the host's turn-around is part of it and the board's
    // virtual clock runs on while a busy host answers: 40 ms allow for that share varying between the runs
    // (test workers side by side), far below the 656 ms that 12 bit would add.
    assert.ok(nine <= 94 + busMs + 40, `9 bit: ${nine.toFixed(1)} ms, more than 94 ms + ${busMs.toFixed(1)} ms of bus time`);
  });
});
