import { execFileSync } from 'child_process';
import * as fs from 'fs';
import * as os from 'os';
import * as path from 'path';
import { waitUntil } from '../../support/wait';

/**
 * Makes chosen files of a fake w1 tree block in the kernel the way a wedged bus master blocks a read of
 * `w1_slave`: opening such a file opens a FIFO nobody writes instead, which holds a thread of libuv's pool
 * until `release()`. The tree's files stay regular files, as sysfs attributes are.
 */
export class WedgedW1Files {
  private readonly fifoDir = fs.mkdtempSync(path.join(os.tmpdir(), 'w1-wedged-'));
  private readonly fifos = new Map<string, string>();
  private readonly originalOpen = fs.promises.open;
  /** Opens that went to a FIFO and have not returned. */
  blockedOpens = 0;

  constructor() {
    const open = this.originalOpen;
    fs.promises.open = (file: fs.PathLike, ...rest: unknown[]) => {
      const fifo = this.fifos.get(String(file));
      if (!fifo) return (open as (...args: unknown[]) => Promise<fs.promises.FileHandle>)(file, ...rest);
      this.blockedOpens += 1;
      return open(fifo, 'r').finally(() => {
        this.blockedOpens -= 1;
      });
    };
  }

  wedge(file: string): void {
    const fifo = path.join(this.fifoDir, `fifo-${this.fifos.size}`);
    execFileSync('mkfifo', [fifo]);
    this.fifos.set(file, fifo);
  }

  /** Lets every blocked open return (the file then reads as empty) and puts `fs.promises.open` back. */
  async release(): Promise<void> {
    const fifos = [...this.fifos.values()];
    this.fifos.clear();
    fs.promises.open = this.originalOpen;
    await waitUntil(
      () => {
        for (const fifo of fifos) {
          try {
            // Succeeds only while a reader waits in open(); it then returns at once with end of file.
            fs.closeSync(fs.openSync(fifo, fs.constants.O_WRONLY | fs.constants.O_NONBLOCK));
          } catch {
            // ENXIO: nobody is waiting on this one.
          }
        }
        return this.blockedOpens === 0;
      },
      5000,
      'the wedged reads to return',
    );
    fs.rmSync(this.fifoDir, { recursive: true, force: true });
  }
}

/** Writes and fdatasyncs a small file, as the outbox does for every message; resolves with the time it took. */
export async function timedFdatasync(dir: string): Promise<number> {
  const started = process.hrtime.bigint();
  const handle = await fs.promises.open(path.join(dir, 'outbox-probe'), 'w');
  try {
    await handle.write('a message\n');
    await handle.datasync();
  } finally {
    await handle.close();
  }
  return Number(process.hrtime.bigint() - started) / 1e6;
}

/** `timedFdatasync`, or a failure naming the limit if it has not finished by then (a full pool never would). */
export async function fdatasyncWithin(dir: string, limitMs: number): Promise<number> {
  let timer: NodeJS.Timeout | undefined;
  const late = new Promise<never>((_, reject) => {
    timer = setTimeout(() => reject(new Error(`a write and fdatasync did not finish within ${limitMs} ms: libuv's pool is full`)), limitMs);
  });
  try {
    const took = await Promise.race([timedFdatasync(dir), late]);
    return took;
  } finally {
    clearTimeout(timer);
  }
}
