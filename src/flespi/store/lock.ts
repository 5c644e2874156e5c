/**
 * One process at a time per store: two Node-RED processes on one user directory would both resend
 * its messages, and one could cut the other's live segment or delete its store. The holder keeps a
 * `lock` file in the store naming its process and host, and touches it while it lives; a lock whose
 * process is gone (same host) or that nobody touched for STALE_MS (a host we cannot look into) is
 * taken over.
 */
import * as fs from 'fs';
import * as os from 'os';
import * as path from 'path';
import { FILE_MODE } from './segments';

const LOCK_FILE = 'lock';
const TOUCH_MS = 10_000;
const STALE_MS = 6 * TOUCH_MS;

interface Holder {
  pid: number;
  host: string;
}

export type LockResult = { held: true; release(): void } | { held: false; holder: string };

/** Takes the store's lock, or tells who holds it. The directory must exist. */
export function lockStore(directory: string): LockResult {
  const file = path.join(directory, LOCK_FILE);
  const me: Holder = { pid: process.pid, host: os.hostname() };
  for (let attempt = 0; attempt < 2; attempt += 1) {
    try {
      fs.writeFileSync(file, JSON.stringify(me), { flag: 'wx', mode: FILE_MODE });
      return { held: true, release: keepAlive(file, me) };
    } catch (error) {
      if ((error as NodeJS.ErrnoException).code !== 'EEXIST') throw error;
    }
    const holder = readHolder(file);
    if (holder && !isStale(file, holder, me)) return { held: false, holder: `process ${holder.pid} on ${holder.host}` };
    fs.rmSync(file, { force: true });
  }
  return { held: false, holder: 'another process' };
}

function keepAlive(file: string, me: Holder): () => void {
  const timer = setInterval(() => {
    const now = new Date();
    fs.utimes(file, now, now, () => undefined);
  }, TOUCH_MS);
  timer.unref();
  return () => {
    clearInterval(timer);
    if (sameHolder(readHolder(file), me)) fs.rmSync(file, { force: true });
  };
}

function readHolder(file: string): Holder | undefined {
  try {
    const holder = JSON.parse(fs.readFileSync(file, 'utf8')) as Partial<Holder>;
    return typeof holder.pid === 'number' && typeof holder.host === 'string' ? { pid: holder.pid, host: holder.host } : undefined;
  } catch {
    return undefined; // half written or gone: stale
  }
}

function sameHolder(a: Holder | undefined, b: Holder): boolean {
  return a !== undefined && a.pid === b.pid && a.host === b.host;
}

function isStale(file: string, holder: Holder, me: Holder): boolean {
  // This very process (a store reopened, or a container restarted with the same pid) or a process gone.
  if (holder.host === me.host && (holder.pid === me.pid || !isAlive(holder.pid))) return true;
  try {
    return Date.now() - fs.statSync(file).mtimeMs > STALE_MS;
  } catch {
    return true;
  }
}

function isAlive(pid: number): boolean {
  try {
    process.kill(pid, 0);
    return true;
  } catch (error) {
    return (error as NodeJS.ErrnoException).code === 'EPERM';
  }
}
