/** A fresh virtual board behind its own pseudo-terminal, waiting in its ROM loader, for one bench run. */
import type { VirtualBoard } from '../src/sim/board/board';
import { attachBoardToPty } from '../src/sim/host/pty';
import { getVirtualBoard, resetVirtualBoards, type VirtualBoardOptions } from '../src/sim/host/registry';

let boardCount = 0;

/** Runs `work` against a fresh board behind its own pty; the pty and the board go afterwards. */
export async function withPtyBoard<T>(options: VirtualBoardOptions, work: (tty: string, board: VirtualBoard) => Promise<T>): Promise<T> {
  const board = getVirtualBoard(`bench-pty-${++boardCount}`, options);
  const attachment = await attachBoardToPty(board);
  try {
    return await work(attachment.hostPath, board);
  } finally {
    await attachment.close();
    resetVirtualBoards();
  }
}
