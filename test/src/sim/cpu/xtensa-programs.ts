// Builds hand-written or generated lx106 assembly into ELF programs and runs each under
// QEMU's lx106 core and under our CPU, both with semihosting, returning what each wrote.
import { execFile } from 'child_process';
import { mkdtempSync, readFileSync, rmSync, writeFileSync } from 'fs';
import { tmpdir } from 'os';
import path from 'path';
import { promisify } from 'util';

import { Cpu } from '../../../../src/sim/cpu/cpu';
import { loadElf } from '../../../support/sim/elf-loader';
import { formatFault } from '../../../../src/sim/cpu/exceptions';
import { Semihosting } from '../../../support/sim/semihosting';
import { qemuArgs, requireFirmwareToolchain } from '../../../firmware/toolchain';

const run = promisify(execFile);

/** Vectors first at the start of IRAM (VECBASE is set there), then code; data in DRAM. */
const LINKER_SCRIPT = `
ENTRY(_start)
MEMORY { iram (rx) : ORIGIN = 0x40100000, LENGTH = 0x10000
         dram (rw) : ORIGIN = 0x3FFE8000, LENGTH = 0x14000 }
SECTIONS {
  .vectors : { KEEP(*(.vectors)) } > iram
  .text : ALIGN(4) { *(.literal .text .text.*) } > iram
  .data : ALIGN(4) { *(.rodata .rodata.* .data .data.* .bss .bss.* COMMON) } > dram
  _stack_top = ORIGIN(dram) + LENGTH(dram);
  /DISCARD/ : { *(.xt.prop*) *(.xt.lit*) *(.xtensa.info) *(.comment) }
}
`;

export class ProgramBuilder {
  readonly dir = mkdtempSync(path.join(tmpdir(), 'lx106-programs-'));

  constructor() {
    requireFirmwareToolchain();
    writeFileSync(path.join(this.dir, 'program.ld'), LINKER_SCRIPT);
  }

  /** Assembles and links one program; returns the ELF's path. */
  async assemble(name: string, source: string): Promise<string> {
    const asm = path.join(this.dir, `${name}.S`);
    const elf = path.join(this.dir, `${name}.elf`);
    writeFileSync(asm, source);
    try {
      await run(
        'xtensa-lx106-elf-gcc',
        [
          '-nostdlib',
          '-nostartfiles',
          '-Wa,--auto-litpools',
          '-Wl,--build-id=none',
          '-T',
          path.join(this.dir, 'program.ld'),
          asm,
          '-o',
          elf,
        ],
        { maxBuffer: 16 * 1024 * 1024 },
      );
    } catch (error) {
      throw new Error(`assembling ${name} failed: ${(error as { stderr?: string }).stderr ?? String(error)}`, { cause: error });
    }
    return elf;
  }

  remove(): void {
    rmSync(this.dir, { recursive: true, force: true });
  }
}

/** What QEMU's lx106 core wrote through semihosting, and its exit status; `input` is its stdin. */
export async function runUnderQemu(elf: string, timeoutMs = 60000, input = new Uint8Array(0)): Promise<{ output: Buffer; status: number }> {
  return new Promise((resolve, reject) => {
    const child = execFile(
      'qemu-system-xtensa',
      qemuArgs(elf),
      { encoding: 'buffer', maxBuffer: 64 * 1024 * 1024, timeout: timeoutMs },
      (error, stdout) => {
        if (error && typeof error.code !== 'number') return reject(new Error(error.message, { cause: error }));
        resolve({ output: stdout, status: typeof error?.code === 'number' ? error.code : 0 });
      },
    );
    child.stdin?.end(input);
  });
}

export interface OurRun {
  output: Buffer;
  status: number | undefined;
  instructions: number;
  cycles: number;
  cpu: Cpu;
}

/** Runs the ELF on our CPU until it exits through semihosting; a stop for any other reason throws. */
export function runUnderCpu(elf: string, input = new Uint8Array(0), maxCycles = 5e9): OurRun {
  const semihosting = new Semihosting(input);
  const cpu = new Cpu({ simcall: semihosting.handle });
  loadElf(cpu, readFileSync(elf));
  cpu.run(maxCycles);
  if (semihosting.exitCode === undefined) {
    throw new Error(cpu.stopped ? formatFault(cpu.stopped) : `the program did not exit within ${maxCycles} cycles`);
  }
  return { output: Buffer.from(semihosting.output), status: semihosting.exitCode, instructions: cpu.instructions, cycles: cpu.cycles, cpu };
}

/**
 * A ProgramBuilder for the current mocha suite: made before its tests, removed after them.
 * `assemble(source)` names each program itself.
 */
export function suiteProgramBuilder(prefix: string): { assemble(source: string): Promise<string> } {
  let builder: ProgramBuilder | undefined;
  let count = 0;
  before(() => {
    builder = new ProgramBuilder();
  });
  after(() => builder?.remove());
  return { assemble: (source) => builder!.assemble(`${prefix}-${count++}`, source) };
}
