// What the report says about the software around the board: this package and the Node.js running it.
import { readFileSync } from 'node:fs';
import path from 'node:path';

export interface Environment {
  packageName: string;
  packageVersion: string;
  nodeVersion: string;
  platform: string;
}

/** package.json at the package root (this file compiles to dist/src/bridge-check/). */
const PACKAGE_JSON = path.resolve(__dirname, '..', '..', '..', 'package.json');

export function describeEnvironment(): Environment {
  const manifest = JSON.parse(readFileSync(PACKAGE_JSON, 'utf8')) as { name: string; version: string };
  return {
    packageName: manifest.name,
    packageVersion: manifest.version,
    nodeVersion: process.version,
    platform: `${process.platform} ${process.arch}`,
  };
}
