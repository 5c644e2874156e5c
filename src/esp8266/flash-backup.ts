// A copy of what a write is about to replace, read from the board before anything is erased: the
// whole sectors of each part that will change (or the whole flash before a chip erase). Saved as raw
// flash images, one file per region, named by the board's MAC, the time and the flash address, so that
// writing a file back at its address restores the board.
import { hex } from '../hex';
import { promises as fs } from 'node:fs';
import path from 'node:path';

export interface BackupRegion {
  address: number;
  bytes: Uint8Array;
}

export interface FlashBackup {
  /** The board's MAC, as esptool-js reads it (aa:bb:cc:dd:ee:ff). */
  mac: string;
  takenAt: Date;
  regions: BackupRegion[];
}

/** Saves a backup; answers the files written. Runs before anything is erased: a failure stops the write. */
export type BackupSaver = (backup: FlashBackup) => Promise<string[]>;

/** esp8266-5ccf7f0a1b2c-20261206T201500Z-0x000000.bin: sorts by board, then time, then address. */
export function backupFileName(mac: string, takenAt: Date, address: number): string {
  const time = takenAt
    .toISOString()
    .replace(/[-:]/g, '')
    .replace(/\.\d+Z$/, 'Z');
  return `esp8266-${mac.replace(/[^0-9a-f]/gi, '').toLowerCase()}-${time}-${hex(address, 6)}.bin`;
}

async function writePrivate(file: string, bytes: Uint8Array): Promise<void> {
  // A flash image can hold Wi-Fi credentials: readable by the owner alone, and never over an older file.
  await fs.writeFile(file, bytes, { mode: 0o600, flag: 'wx' });
}

/** Saves every region in `dir` (made if missing, owner-only) under its backupFileName. */
export function backupToDirectory(dir: string): BackupSaver {
  return async (backup) => {
    await fs.mkdir(dir, { recursive: true, mode: 0o700 });
    const files: string[] = [];
    for (const region of backup.regions) {
      const file = path.join(dir, backupFileName(backup.mac, backup.takenAt, region.address));
      await writePrivate(file, region.bytes);
      files.push(file);
    }
    return files;
  };
}

/** Saves a backup of one region as `file`; more regions get their address added to the name. */
export function backupToFile(file: string): BackupSaver {
  return async (backup) => {
    const files = backup.regions.length === 1 ? [file] : backup.regions.map((region) => `${file}.${hex(region.address, 6)}`);
    for (const [index, region] of backup.regions.entries()) await writePrivate(files[index], region.bytes);
    return files;
  };
}
