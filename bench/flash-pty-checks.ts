/**
 * Espressif's esptool against the virtual board behind a pty, as against silicon: chip id, a write,
 * a read-back, a second session at the rate the stub runs at, and a session at another rate that gets
 * no answer. One pass/fail row per check and esptool version (CI has no esptool, so these run here).
 */
import { mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { readFlash } from '../src/esp8266/flash-read';
import { createSerialLink } from '../src/serial/open-port';
import { ESPTOOLS, ESPTOOL_HINT, Esptool, esptool } from './esptool-cli';
import { withPtyBoard } from './pty-board';
import { BenchTable } from './table';

const FAST = 460800;
const ROM = 115200;

interface Check {
  name: string;
  pass: boolean;
  detail: string;
}

/** The last line of esptool's output that says something, for the table. */
function lastWords(output: string): string {
  const lines = output
    .split('\n')
    .map((line) => line.trim())
    .filter(Boolean);
  return (lines[lines.length - 1] ?? '').slice(0, 80);
}

/** Chip id, then a write and a read-back in later sessions, all at 115200 (the stub stays at that rate). */
async function atOneRate(tool: Esptool, image: Uint8Array, file: string, readBack: string): Promise<Check[]> {
  return withPtyBoard({}, async (tty, board) => {
    const checks: Check[] = [];
    const chipId = await tool.run(tty, ROM, 'chip_id');
    const id = /Chip ID: (0x[0-9a-f]+)/i.exec(chipId.output);
    checks.push({
      name: `chip id (ROM, ${ROM})`,
      pass: chipId.code === 0 && id !== null && /ESP8266/.test(chipId.output),
      detail: id ? id[1] : lastWords(chipId.output),
    });
    const write = await tool.run(tty, ROM, 'write_flash', '0x0', file);
    const written = Buffer.from(board.flash.read(0, image.length)).equals(Buffer.from(image));
    checks.push({
      name: `a second session at the same rate (${ROM}, the stub still running) writes`,
      pass: write.code === 0 && /Hash of data verified/.test(write.output) && written,
      detail: written ? 'hash verified, the board holds the image' : lastWords(write.output),
    });
    const read = await tool.run(tty, ROM, 'read_flash', '0', String(image.length), readBack);
    const same = read.code === 0 && readFileSync(readBack).equals(Buffer.from(image));
    checks.push({ name: 'read-back', pass: same, detail: same ? `${image.length} bytes as written` : lastWords(read.output) });
    return checks;
  });
}

/** A write at the fast rate leaves the stub there: esptool syncing at 115200 gets no answer, a session at the fast rate does. */
async function afterRateChange(tool: Esptool, image: Uint8Array, file: string): Promise<Check[]> {
  return withPtyBoard({}, async (tty, board) => {
    const checks: Check[] = [];
    const write = await tool.run(tty, FAST, 'write_flash', '0x0', file);
    const written = Buffer.from(board.flash.read(0, image.length)).equals(Buffer.from(image));
    checks.push({
      name: `write at ${FAST} (stub changes rate)`,
      pass: write.code === 0 && written,
      detail: written ? 'hash verified, the board holds the image' : lastWords(write.output),
    });
    const other = await tool.run(tty, ROM, 'chip_id');
    checks.push({
      name: `a session syncing at ${ROM} while the stub runs at ${FAST} gets no answer`,
      pass: other.code !== 0 && /Failed to connect/i.test(other.output),
      detail: (/^.*Failed to connect.*$/im.exec(other.output)?.[0] ?? lastWords(other.output)).trim().slice(0, 80),
    });
    try {
      const result = await readFlash({ path: tty, createLink: createSerialLink, reset: 'none', flashBaudRate: FAST, size: image.length });
      const same = Buffer.from(result.bytes).equals(Buffer.from(image));
      checks.push({
        name: `a second session at ${FAST} (this package, syncing at the stub's rate) reads back`,
        pass: same,
        detail: same ? 'the bytes esptool wrote' : 'other bytes',
      });
    } catch (error) {
      checks.push({
        name: `a second session at ${FAST} (this package) reads back`,
        pass: false,
        detail: (error as Error).message.slice(0, 80),
      });
    }
    return checks;
  });
}

export async function esptoolChecks(image: Uint8Array): Promise<BenchTable> {
  const rows: Array<Array<string | number>> = [];
  const directory = mkdtempSync(join(tmpdir(), 'bench-checks-'));
  try {
    const file = join(directory, 'image.bin');
    writeFileSync(file, image);
    for (const script of ESPTOOLS) {
      const tool = await esptool(script, 'no_reset_stub');
      const checks = [...(await atOneRate(tool, image, file, join(directory, 'back.bin'))), ...(await afterRateChange(tool, image, file))];
      for (const check of checks) {
        rows.push([`esptool ${tool.version}`, check.name, check.pass ? 'pass' : 'FAIL', check.detail]);
        console.log(`${check.pass ? 'pass' : 'FAIL'}: esptool ${tool.version}: ${check.name} (${check.detail})`);
      }
    }
  } finally {
    rmSync(directory, { recursive: true, force: true });
  }
  return {
    title: "Espressif's esptool against the virtual board behind a pty",
    columns: ['tool', 'check', 'result', 'detail'],
    rows,
    note:
      'Each group of three on a fresh board waiting in its ROM, esptool run with --before no_reset (a pty has no DTR/RTS) and ' +
      '--after no_reset_stub, so the stub stays at its rate between sessions as on silicon. ' +
      (ESPTOOLS.length === 0 ? `No checks ran: ${ESPTOOL_HINT}.` : ''),
  };
}
