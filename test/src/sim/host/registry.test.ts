import assert from 'node:assert/strict';
import '../../../../src/virtual-ports';
import { createSerialLink, openSerialPort } from '../../../../src/serial/open-port';
import { closeLink } from '../../../../src/serial/serial-link';
import { acquireSharedPort } from '../../../../src/serial/shared-port';
import {
  MAX_VIRTUAL_BOARDS,
  getVirtualBoard,
  listVirtualBoards,
  resetVirtualBoards,
  setVirtualBoardIdleTime,
} from '../../../../src/sim/host/registry';
import { waitUntil } from '../../../support/wait';

describe('virtual board registry', () => {
  // The counts below start from no board, whatever the test files run before in this process left.
  beforeEach(() => resetVirtualBoards());
  afterEach(() => resetVirtualBoards());

  it(`keeps at most ${MAX_VIRTUAL_BOARDS} boards and refuses another with an error naming the limit`, async () => {
    assert.equal(MAX_VIRTUAL_BOARDS, 16);
    const made = Array.from({ length: MAX_VIRTUAL_BOARDS }, (_, i) => getVirtualBoard(`cap-${i}`));
    assert.equal(getVirtualBoard('cap-3'), made[3], 'an existing board is still reached');
    const refusal =
      /cannot create virtual board sim:cap-extra: 16 virtual boards exist, the most one process keeps at once; a board with no open port and no node using it is removed after 10 minutes/;
    assert.throws(() => getVirtualBoard('cap-extra'), refusal);
    // Where users meet it: opening the port of a 17th board fails with the same words.
    await assert.rejects(openSerialPort({ path: 'sim:cap-extra', baudRate: 115200 }), refusal);
    assert.equal(listVirtualBoards().length, MAX_VIRTUAL_BOARDS);
  });

  it("removes a board nobody uses after the idle time; an open port or a node's shared port keeps one", async () => {
    setVirtualBoardIdleTime(300);
    const held = getVirtualBoard('idle-held');
    const heldPort = acquireSharedPort({ path: 'sim:idle-held', baudRate: 115200, createLink: createSerialLink });
    const opened = getVirtualBoard('idle-open');
    const link = await openSerialPort({ path: 'sim:idle-open', baudRate: 115200 });
    const unused = getVirtualBoard('idle-unused');
    // The two boards in use were made first, so they have been idle longest had they not been in use.
    await waitUntil(() => !listVirtualBoards().includes(unused), 5000, 'the unused board to be removed');
    assert.equal(unused.plugged, false, 'a removed board is powered down (its CPU stops)');
    assert.deepEqual(listVirtualBoards(), [held, opened]);

    await closeLink(link);
    await heldPort.releaseReference();
    await waitUntil(() => listVirtualBoards().length === 0, 5000, 'the boards no longer in use to be removed');
    const again = getVirtualBoard('idle-unused');
    assert.notEqual(again, unused, 'the name makes a new board');
    assert.equal(again.plugged, true);
  });

  it('counts a removed board no more against the limit', async () => {
    setVirtualBoardIdleTime(50);
    for (let i = 0; i < MAX_VIRTUAL_BOARDS; i++) getVirtualBoard(`spent-${i}`);
    await waitUntil(() => listVirtualBoards().length === 0, 5000, 'the unused boards to be removed');
    assert.equal(getVirtualBoard('fresh').name, 'fresh');
  });

  it('refuses an idle time that is not a positive number of milliseconds', () => {
    for (const ms of [0, -1, Number.NaN, Number.POSITIVE_INFINITY])
      assert.throws(() => setVirtualBoardIdleTime(ms), RangeError, String(ms));
  });
});
