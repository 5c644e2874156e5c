// The read node on a real serial device: the virtual board sits behind a socat pseudo-terminal, so the
// esp8266-device opens a /dev/pts tty through serialport's native binding, as with a USB board.
import { strict as assert } from 'assert';
import { readFileSync } from 'fs';
import * as path from 'path';
import helper from 'node-red-node-test-helper';
import readNode from '../../../nodes/ds18b20-read/ds18b20-read';
import deviceNode from '../../../nodes/esp8266-device/esp8266-device';
import { getVirtualBoard, resetVirtualBoards } from '../../../src/sim/host/registry';
import { setDefaultSensors } from '../../../src/sim/onewire/sensor-bus';
import { attachBoardToPty, PtyAttachment } from '../../../src/sim/host/pty';
import { translatingCatalogs } from '../../support/catalogs';

helper.init(require.resolve('node-red'));

const A = '28-0316a27950ff';
const BRIDGE_IMAGE = readFileSync(path.resolve(__dirname, '../../../../firmware/bridge.bin'));

describe('ds18b20-read node over a real tty (socat pty)', function () {
  let pty: PtyAttachment | undefined;

  afterEach(async () => {
    await helper.unload();
    await pty?.close();
    pty = undefined;
    resetVirtualBoards();
    setDefaultSensors({});
  });

  it('reads the bridge firmware through serialport on /dev/pts', async () => {
    setDefaultSensors({ sensors: [{ ident: A, temperature: -3.5 }] });
    const board = getVirtualBoard('tty-read', { firmware: BRIDGE_IMAGE });
    pty = await attachBoardToPty(board);
    // A pty has no DTR/RTS: the attachment leaves the board in its ROM loader, so press RESET alone.
    board.pressReset(false);
    assert.match(pty.hostPath, /^\/dev\/pts\//);
    await helper.load(
      [translatingCatalogs, deviceNode, readNode],
      [
        { id: 'dev', type: 'esp8266-device', port: pty.hostPath, baud: 115200, reset: 'none' },
        {
          id: 'r',
          type: 'ds18b20-read',
          source: 'esp8266',
          device: 'dev',
          interval: 0,
          output: 'array',
          unit: 'C',
          sensors: [],
          wires: [['h']],
        },
        { id: 'h', type: 'helper' },
      ],
    );
    const r = helper.getNode('r') as any;
    await new Promise<void>((resolve, reject) => {
      const timer = setTimeout(() => reject(new Error('the read node never became ready')), 10000);
      r.on('call:status', (call: { args: [{ text?: string }] }) => {
        if (call.args[0]?.text === 'ready') {
          clearTimeout(timer);
          resolve();
        }
      });
    });
    const received = new Promise<any>((resolve) => (helper.getNode('h') as any).on('input', resolve));
    r.receive({ payload: 'read' });
    const msg = await received;
    assert.deepEqual(
      msg.payload.map((p: any) => [p.ident, p.temperature]),
      [[A, -3.5]],
    );
  });
});
