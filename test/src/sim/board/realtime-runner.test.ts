// The board keeps virtual time on wall time: a conversion the firmware waits 750 ms for takes 750 ms
// of wall time, and the chip never runs ahead of the clock.
import { strict as assert } from 'assert';
import { readFileSync } from 'fs';
import path from 'path';

import { getVirtualBoard, resetVirtualBoards } from '../../../../src/sim/host/registry';
import { REPO_ROOT } from '../../../firmware/toolchain';
import { waitUntil } from '../../../support/wait';

const IMAGE = new Uint8Array(readFileSync(path.join(REPO_ROOT, 'firmware', 'bridge.bin')));

describe('virtual board in step with wall time', function () {
  this.timeout(20000);
  afterEach(() => resetVirtualBoards());

  it('a read takes the 750 ms conversion in wall time, and virtual time never runs ahead', async () => {
    const poweredUp = performance.now();
    const board = getVirtualBoard(`realtime-${process.pid}`, {
      firmware: IMAGE,
      sensors: { sensors: [{ ident: '28-0316a27950ff', temperature: 19.5 }] },
    });
    let text = '';
    const connection = board.connect({
      baud: 115200,
      receive: (bytes) => {
        text += Buffer.from(bytes).toString('latin1');
      },
      lost: () => undefined,
    });
    await waitUntil(() => text.includes('"type":"sensors"'), 3000, 'the boot scan');
    const from = text.length;
    const sent = performance.now();
    await connection.write(Buffer.from('read\n'));
    await waitUntil(() => text.slice(from).includes('"type":"cycle"'), 3000, 'the read cycle');
    const took = performance.now() - sent;
    assert.match(text.slice(from), /"millicelsius":19500/);
    assert.ok(took >= 750, `the read took ${took.toFixed(0)} ms of wall time`);
    const virtualMs = board.uptimeMs;
    assert.ok(virtualMs !== undefined && virtualMs <= performance.now() - poweredUp, `virtual ${virtualMs} ms ahead of the wall clock`);
    connection.disconnect();
  });
});
