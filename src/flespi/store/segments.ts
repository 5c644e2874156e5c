/**
 * Where a store lives: `<parent>/<owner id>/`, and in it segment files `<number>.seg`,
 * numbered in the order they were started.
 */
import * as fs from 'fs';
import * as path from 'path';

/**
 * The store directory of an owner (a broker config id) under `parent`. Characters other
 * than letters, digits, `_` and `-` are %-escaped, so no id can reach outside `parent`.
 */
export function storeDirectory(parent: string, ownerId: string): string {
  const name = ownerId.replace(/[^A-Za-z0-9_-]/g, (c) => `%${c.charCodeAt(0).toString(16).padStart(2, '0')}`);
  if (name.length === 0) throw new Error('a store needs an owner id');
  return path.join(parent, name);
}

/** Payloads are the user's readings: only the user Node-RED runs as may read a store. */
export const DIRECTORY_MODE = 0o700;
export const FILE_MODE = 0o600;

const NAME = /^(\d{12})\.seg$/;

export function segmentPath(directory: string, number: number): string {
  return path.join(directory, `${String(number).padStart(12, '0')}.seg`);
}

/** The segment numbers in the directory, oldest first. */
export function listSegments(directory: string): number[] {
  return fs
    .readdirSync(directory)
    .map((name) => NAME.exec(name))
    .filter((match): match is RegExpExecArray => match !== null)
    .map((match) => Number(match[1]))
    .sort((a, b) => a - b);
}
