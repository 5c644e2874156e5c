// One virtual board per name per process: every `sim:<name>` port path opened anywhere in the process
// (a flash node, a read node, a test) reaches the same board.
import { VirtualBoard, type VirtualBoardOptions } from './board';

export type { VirtualBoard, VirtualBoardOptions } from './board';

import { SIM_PREFIX } from './prefix';

export { SIM_PREFIX };
const BOARD_NAME = /^[A-Za-z0-9._-]{1,64}$/;

const boards = new Map<string, VirtualBoard>();

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

/** The board called `name`, created on first use; options only apply to that creation. */
export function getVirtualBoard(name: string, options?: VirtualBoardOptions): VirtualBoard {
  virtualBoardName(SIM_PREFIX + name);
  let board = boards.get(name);
  if (!board) {
    board = new VirtualBoard(name, options);
    boards.set(name, board);
  }
  return board;
}

export function listVirtualBoards(): VirtualBoard[] {
  return [...boards.values()];
}

/** Powers down and forgets every board (tests start from a clean process state). */
export function resetVirtualBoards(): void {
  for (const board of boards.values()) board.unplug();
  boards.clear();
}
