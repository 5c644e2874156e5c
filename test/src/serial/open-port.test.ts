import assert from 'node:assert/strict';
import '../../../src/virtual-ports';
import { createSerialLink, listAllSerialPorts, openSerialPort } from '../../../src/serial/open-port';
import { SharedPortListener, acquireSharedPort } from '../../../src/serial/shared-port';
import { closeLink } from '../../../src/serial/serial-link';
import { getVirtualBoard, resetVirtualBoards } from '../../../src/sim/host/registry';
import { buildTestImage } from '../../support/image-builders';
import { waitUntil, waitUntilSteady } from '../../support/wait';

describe('opening ports by path', () => {
  afterEach(() => resetVirtualBoards());

  it('opens a sim: path on the virtual board of that name', async () => {
    const board = getVirtualBoard('open-sim');
    const link = await openSerialPort({ path: 'sim:open-sim', baudRate: 115200 });
    assert.equal(link.isOpen, true);
    assert.equal(board.connected, true);
    await closeLink(link);
    assert.equal(board.connected, false);
  });

  it('reports a real path that does not exist', async () => {
    await assert.rejects(openSerialPort({ path: '/dev/ttyDOESNOTEXIST7', baudRate: 115200 }), /No such file or directory/);
  });

  it('creates links without opening them', () => {
    assert.equal(createSerialLink('sim:unopened', 115200).isOpen, false);
    assert.equal(createSerialLink('/dev/ttyDOESNOTEXIST7', 115200).isOpen, false);
  });

  it('lists the virtual boards among the ports once a sim: path was used', async () => {
    getVirtualBoard('listed-a');
    await closeLink(await openSerialPort({ path: 'sim:listed-a', baudRate: 115200 }));
    const ports = await listAllSerialPorts();
    const entry = ports.find((p) => p.path === 'sim:listed-a');
    assert.ok(entry, JSON.stringify(ports));
    assert.equal(entry.virtual, true);
  });

  it('a shared port on a virtual board reports an unplug and comes back after replugging', async () => {
    const board = getVirtualBoard('shared-board', { firmware: buildTestImage() });
    const port = acquireSharedPort({ path: 'sim:shared-board', baudRate: 115200, createLink: createSerialLink, reopenIntervalMs: 20 });
    const events: string[] = [];
    let announceLost: () => void = () => undefined;
    const lost = new Promise<void>((resolve) => {
      announceLost = resolve;
    });
    const listener: SharedPortListener = {
      lost: () => {
        events.push('lost');
        announceLost();
      },
      back: () => events.push('back'),
    };
    port.attach(listener);
    await waitUntil(() => port.state === 'open', 5000, 'the port to open');
    board.unplug();
    await lost;
    assert.equal(port.state, 'lost');
    // Reopen attempts every 20 ms keep failing while the board is unplugged.
    await waitUntilSteady(() => port.state, 60, 5000, 'the port state');
    assert.equal(port.state, 'lost', 'still lost while unplugged');
    const back = new Promise<void>((resolve) => port.attach({ back: () => resolve() }));
    board.plug();
    await back;
    assert.equal(port.state, 'open');
    assert.deepEqual(events, ['lost', 'back']);
    await port.releaseReference();
    assert.equal(board.connected, false);
  });
});
