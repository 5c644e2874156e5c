/** Segment files: `<number>.seg` in the store directory, numbered in the order they were started. */
import * as fs from 'fs';
import * as path from 'path';

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
