// Builds the firmware and its test programs into a temporary directory for the suite.
// A missing tool fails the suite with the Debian command that installs it.
import { execFile, execFileSync } from 'child_process';
import { existsSync, mkdtempSync, rmSync } from 'fs';
import { tmpdir } from 'os';
import path from 'path';
import { promisify } from 'util';

export const REPO_ROOT = path.resolve(__dirname, '..', '..', '..');
export const FIRMWARE_DIR = path.join(REPO_ROOT, 'firmware');
export const PICOLIBC_SPECS = '/usr/lib/xtensa-lx106-elf/picolibc.specs';

const REQUIRED: ReadonlyArray<{ command: string; args: string[]; debianPackage: string }> = [
  { command: 'make', args: ['--version'], debianPackage: 'make' },
  { command: 'gcc', args: ['--version'], debianPackage: 'gcc' },
  { command: 'xtensa-lx106-elf-gcc', args: ['--version'], debianPackage: 'gcc-xtensa-lx106 binutils-xtensa-lx106' },
  { command: 'qemu-system-xtensa', args: ['--version'], debianPackage: 'qemu-system-misc' },
];

/** Throws naming the apt-get command for every tool that is not installed. */
export function requireFirmwareToolchain(): void {
  const missing: string[] = [];
  for (const tool of REQUIRED) {
    try {
      execFileSync(tool.command, tool.args, { stdio: 'ignore' });
    } catch {
      missing.push(tool.debianPackage);
    }
  }
  if (!existsSync(PICOLIBC_SPECS)) missing.push('picolibc-xtensa-lx106-elf');
  if (missing.length > 0) {
    throw new Error(`the firmware toolchain is missing; install it with: apt-get install -y ${missing.join(' ')}`);
  }
}

export interface FirmwareBuild {
  dir: string;
  image: string;
  hostTests: string;
  qemuTests: string;
  qemuBridge: string;
  espElf: string;
  remove(): void;
}

/** Runs `make programs` with every output under a fresh temporary directory. */
export async function buildFirmware(): Promise<FirmwareBuild> {
  requireFirmwareToolchain();
  const dir = mkdtempSync(path.join(tmpdir(), 'bridge-firmware-'));
  const build = path.join(dir, 'build');
  const image = path.join(dir, 'bridge.bin');
  try {
    await promisify(execFile)('make', ['-j2', `BUILD=${build}`, `IMAGE=${image}`, 'programs'], {
      cwd: FIRMWARE_DIR, maxBuffer: 4 * 1024 * 1024,
    });
  } catch (error) {
    rmSync(dir, { recursive: true, force: true });
    const e = error as { stderr?: string; message: string };
    throw new Error(`firmware build failed: ${e.stderr || e.message}`, { cause: error });
  }
  return {
    dir,
    image,
    hostTests: path.join(build, 'host', 'unit-tests'),
    qemuTests: path.join(build, 'lx106', 'unit-tests.elf'),
    qemuBridge: path.join(build, 'lx106', 'bridge-qemu.elf'),
    espElf: path.join(build, 'esp8266-gpio4', 'bridge.elf'),
    remove: () => rmSync(dir, { recursive: true, force: true }),
  };
}

/** Arguments for QEMU's Xtensa simulator with an lx106 core running `elf` with semihosting. */
export function qemuArgs(elf: string): string[] {
  return ['-M', 'sim', '-cpu', 'lx106', '-nographic', '-monitor', 'none', '-semihosting',
    '-device', `loader,file=${elf},cpu-num=0`];
}

export interface TestCounts { passed: number; failed: number; okLines: number; notOkLines: number }

/** Reads the totals line "N passed, N failed" and the per-test lines of the C test harness. */
export function parseCounts(output: string): TestCounts {
  const totals = /^(\d+) passed, (\d+) failed$/m.exec(output);
  if (!totals) throw new Error(`no "N passed, N failed" line in:\n${output}`);
  return {
    passed: Number(totals[1]),
    failed: Number(totals[2]),
    okLines: (output.match(/^ok - /gm) ?? []).length,
    notOkLines: (output.match(/^not ok - /gm) ?? []).length,
  };
}
