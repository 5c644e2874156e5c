/**
 * Espressif's Python esptool as the benches run it beside ours: not a dependency, so ESPTOOL_PY names
 * one or more esptool.py paths (comma-separated) and ESPTOOL_PYTHON the interpreter that has their
 * packages (default python3). Each call is one process, Python's start included.
 */
import { spawn } from 'node:child_process';

export const ESPTOOLS = (process.env.ESPTOOL_PY ?? '')
  .split(',')
  .map((entry) => entry.trim())
  .filter(Boolean);
const PYTHON = process.env.ESPTOOL_PYTHON ?? 'python3';
export const ESPTOOL_HINT = 'ESPTOOL_PY is not set (e.g. ESPTOOL_PY=/path/to/esptool.py ESPTOOL_PYTHON=/usr/bin/python3)';

export interface ProcessResult {
  code: number | null;
  output: string;
}

export function runProcess(command: string, args: string[]): Promise<ProcessResult> {
  return new Promise((resolve, reject) => {
    const child = spawn(command, args, { stdio: ['ignore', 'pipe', 'pipe'] });
    let output = '';
    child.stdout.on('data', (chunk: Buffer) => (output += chunk.toString()));
    child.stderr.on('data', (chunk: Buffer) => (output += chunk.toString()));
    child.once('error', reject);
    child.once('exit', (code) => resolve({ code, output }));
  });
}

export interface Esptool {
  script: string;
  version: string;
  /** Runs `command` (spelled as in v3, with underscores) on `tty` with `--baud`, no reset before. */
  run(tty: string, baud: number, command: string, ...args: string[]): Promise<ProcessResult>;
  /** As run, but a non-zero exit is an error. */
  check(tty: string, baud: number, command: string, ...args: string[]): Promise<string>;
}

/**
 * The esptool at `script`, asking it for its version (e.g. "3.3.3"). `after` is what it does when done:
 * `no_reset` (default; esptool v3 then leaves its stub for the ROM loader, which auto-bauds again) or
 * `no_reset_stub` (the stub stays, at the rate it last changed to).
 */
export async function esptool(script: string, after: 'no_reset' | 'no_reset_stub' = 'no_reset'): Promise<Esptool> {
  const { output } = await runProcess(PYTHON, [script, 'version']);
  const match = /^(?:esptool(?:\.py)? v)?(\d+\.\d+(?:\.\d+)?)\s*$/m.exec(output);
  if (!match) throw new Error(`${script} printed no version:\n${output}`);
  const version = match[1];
  // esptool v5 spells options and commands with dashes, earlier versions with underscores.
  const word = (name: string) => (Number(version.split('.')[0]) >= 5 ? name.replace(/_/g, '-') : name);
  const run = (tty: string, baud: number, command: string, ...args: string[]) =>
    runProcess(PYTHON, [
      // Two connect attempts: a board that answers does so at the first; one that does not fails soon.
      script,
      '--port',
      tty,
      '--baud',
      String(baud),
      '--before',
      word('no_reset'),
      '--after',
      word(after),
      '--connect-attempts',
      '2',
      word(command),
      ...args,
    ]);
  return {
    script,
    version,
    run,
    check: async (tty, baud, command, ...args) => {
      const result = await run(tty, baud, command, ...args);
      if (result.code !== 0) throw new Error(`esptool ${version} ${command} exited ${result.code}:\n${result.output}`);
      return result.output;
    },
  };
}
