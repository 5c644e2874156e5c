// One virtual board per name per process: every `sim:<name>` port path opened anywhere in the process
// (a flash node, a read node, a test) reaches the same board.
//
// A board holds its flash (4 MiB by default) and an emulated CPU that runs its firmware even with no
// port open, and any editor can name a new one. So a process has at most MAX_VIRTUAL_BOARDS, and a board
// nobody uses (no open port, no node holding a shared port on it) for the idle time is powered down
// and forgotten; the next use of its name makes a new board with an empty flash.
import { findSharedPort } from '../../serial/shared-port';
import { VirtualBoard, type VirtualBoardOptions } from '../board/board';

export type { VirtualBoard, VirtualBoardOptions } from '../board/board';

import { SIM_PREFIX } from './prefix';

export { SIM_PREFIX };
const BOARD_NAME = /^[A-Za-z0-9._-]{1,64}$/;

/** The most virtual boards one process keeps at once. */
export const MAX_VIRTUAL_BOARDS = 16;
/** How long a board nobody uses is kept. */
export const VIRTUAL_BOARD_IDLE_MS = 10 * 60_000;
/** Idle boards are looked for this often at most, so one goes at most this long after its idle time. */
const LONGEST_SWEEP_INTERVAL_MS = 60_000;

interface Entry {
  board: VirtualBoard;
  /** When the board was last seen in use (Date.now()). */
  lastUsed: number;
}

const boards = new Map<string, Entry>();
let idleMs = VIRTUAL_BOARD_IDLE_MS;
let sweepTimer: NodeJS.Timeout | undefined;

export function isVirtualPortPath(path: string): boolean {
  return path.startsWith(SIM_PREFIX);
}

/** The board name in a `sim:<name>` path; throws with the reason when the path is not a valid one. */
export function virtualBoardName(path: string): string {
  if (!isVirtualPortPath(path)) throw new Error(`"${path}" is not a virtual port path (expected ${SIM_PREFIX}<name>)`);
  const name = path.slice(SIM_PREFIX.length);
  if (!BOARD_NAME.test(name)) {
    throw new Error(`virtual board name "${name}" must be 1-64 letters, digits, dots, dashes or underscores`);
  }
  return name;
}

/**
 * The board called `name`, created on first use; options only apply to that creation. Throws when
 * MAX_VIRTUAL_BOARDS boards exist already.
 */
export function getVirtualBoard(name: string, options?: VirtualBoardOptions): VirtualBoard {
  virtualBoardName(SIM_PREFIX + name);
  let entry = boards.get(name);
  if (!entry) {
    if (boards.size >= MAX_VIRTUAL_BOARDS) {
      throw new Error(
        `cannot create virtual board ${SIM_PREFIX}${name}: ${MAX_VIRTUAL_BOARDS} virtual boards exist, the most one process keeps at once; ` +
          `a board with no open port and no node using it is removed after ${duration(idleMs)}`,
      );
    }
    entry = { board: new VirtualBoard(name, options), lastUsed: Date.now() };
    boards.set(name, entry);
    startSweeping();
  }
  entry.lastUsed = Date.now();
  return entry.board;
}

export function listVirtualBoards(): VirtualBoard[] {
  return [...boards.values()].map((entry) => entry.board);
}

/** Powers down and forgets every board, and restores the idle time (tests start from a clean process state). */
export function resetVirtualBoards(): void {
  for (const entry of boards.values()) entry.board.unplug();
  boards.clear();
  stopSweeping();
  idleMs = VIRTUAL_BOARD_IDLE_MS;
}

/** Sets how long a board nobody uses is kept (tests shorten it; resetVirtualBoards restores it). */
export function setVirtualBoardIdleTime(ms: number): void {
  if (!Number.isFinite(ms) || ms <= 0) throw new RangeError('the idle time of a virtual board must be a positive number of milliseconds');
  idleMs = ms;
  if (sweepTimer) {
    stopSweeping();
    startSweeping();
  }
}

function duration(ms: number): string {
  return ms >= 60_000 ? `${Math.round(ms / 60_000)} minutes` : `${Math.ceil(ms / 1000)} s`;
}

/** A board is in use while a port on it is open or a node holds a shared port on its path. */
function inUse(board: VirtualBoard): boolean {
  return board.connected || findSharedPort(SIM_PREFIX + board.name) !== undefined;
}

function sweep(): void {
  const now = Date.now();
  for (const [name, entry] of boards) {
    if (inUse(entry.board)) entry.lastUsed = now;
    else if (now - entry.lastUsed >= idleMs) {
      boards.delete(name);
      entry.board.unplug();
    }
  }
  if (boards.size === 0) stopSweeping();
}

function startSweeping(): void {
  if (sweepTimer) return;
  sweepTimer = setInterval(sweep, Math.max(1, Math.min(idleMs / 4, LONGEST_SWEEP_INTERVAL_MS)));
  // The boards' own work keeps the process alive as long as it needs to; looking for idle ones must not.
  sweepTimer.unref();
}

function stopSweeping(): void {
  if (sweepTimer) clearInterval(sweepTimer);
  sweepTimer = undefined;
}
