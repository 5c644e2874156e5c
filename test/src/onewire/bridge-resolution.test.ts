import { strict as assert } from 'assert';
import { BridgeClient } from '../../../src/onewire/bridge-client';
import { BridgeResolution } from '../../../src/onewire/bridge-resolution';
import { ResolutionReport } from '../../../src/onewire/resolution-report';
import { waitUntil } from '../../support/wait';

const A = '28-0316a27950ff';
const hello = (resolution: number, firmware = 'ds18b20-bridge') =>
  `{"type":"hello","firmware":"${firmware}","version":"1.0.0","protocol":1,"pin":4,"interval":0,"resolution":${resolution},"max_sensors":16}\n`;

/** A board that answers `res` and remembers it, as the firmware does until it restarts. */
function board(refuse: string[] = []) {
  const sent: string[] = [];
  let resolution = 0;
  const client: BridgeClient = new BridgeClient({
    write: (line) => {
      sent.push(line.trim());
      const match = /^res (\d+)$/.exec(line.trim());
      if (!match) return;
      resolution = Number(match[1]);
      const errors = refuse.map((ident) => `{"type":"err","code":"crc","ident":"${ident}"}\n`).join('');
      setImmediate(() => client.receive(Buffer.from(`${errors}{"type":"ok","command":"res","resolution":${resolution}}\n`)));
    },
    commandTimeoutMs: 500,
  });
  return {
    client,
    sent,
    restart: () => {
      resolution = 0;
      client.receive(Buffer.from(hello(0)));
    },
    hello: () => client.receive(Buffer.from(hello(resolution))),
  };
}

describe('onewire bridge resolution', () => {
  it('sends res whenever a hello shows another resolution: at boot, after a restart, never twice', async () => {
    const b = board();
    const keeper = new BridgeResolution(b.client, 9, false);
    assert.deepEqual(b.sent, []);
    b.restart();
    await waitUntil(() => b.sent.length === 1, 2000, 'res after the boot hello');
    b.hello();
    b.hello();
    b.client.receive(Buffer.from(hello(0, 'blinky')));
    b.restart();
    await waitUntil(() => b.sent.length === 2, 2000, 'res after the restart');
    assert.deepEqual(b.sent, ['res 9', 'res 9']);
    keeper.stop();
    b.restart();
    assert.deepEqual(b.sent, ['res 9', 'res 9']);
  });

  it('sets a board that is already connected at once, and reports the sensors that refused', async () => {
    const b = board([A]);
    const keeper = new BridgeResolution(b.client, 11, true);
    const report = await new Promise<ResolutionReport>((resolve) => keeper.on('report', resolve));
    assert.deepEqual(b.sent, ['res 11']);
    assert.deepEqual([report.kind, report.bits, report.idents], ['failed', 11, [A]]);
    assert.match(report.detail, /CRC error/);
  });
});
