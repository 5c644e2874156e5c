/**
 * The file operations the outbox's log uses, behind one small interface so that a test
 * can make the disk fail (ENOSPC, EACCES, EROFS) at the moment it chooses.
 */
import { promises as fsp } from 'fs';
import { FILE_MODE } from './segments';

export interface AppendFile {
  /** Writes all of `data` at the end; a short write is retried, an error is thrown. */
  append(data: Buffer): Promise<void>;
  datasync(): Promise<void>;
  truncate(length: number): Promise<void>;
  close(): Promise<void>;
}

export interface StoreFiles {
  /** Creates a new, empty file for appending. */
  create(path: string): Promise<AppendFile>;
  remove(path: string): Promise<void>;
  /** Makes a new directory entry durable (fsync of the directory). */
  syncDirectory(path: string): Promise<void>;
}

export const diskFiles: StoreFiles = {
  async create(path) {
    const handle = await fsp.open(path, 'wx', FILE_MODE);
    return {
      async append(data) {
        let done = 0;
        while (done < data.length) {
          const { bytesWritten } = await handle.write(data, done, data.length - done, null);
          if (bytesWritten === 0) throw Object.assign(new Error(`no byte written to ${path}`), { code: 'EIO' });
          done += bytesWritten;
        }
      },
      datasync: () => handle.datasync(),
      truncate: (length) => handle.truncate(length),
      close: () => handle.close(),
    };
  },
  remove: (path) => fsp.rm(path, { force: true }),
  async syncDirectory(path) {
    const handle = await fsp.open(path, 'r');
    try {
      await handle.sync();
    } finally {
      await handle.close();
    }
  },
};
