/**
 * The XEA2 exception architecture of the lx106: cause numbers, vector offsets from VECBASE,
 * and the report the CPU gives when a fault reaches a vector no program installed.
 * Cause numbers: the Xtensa ISA (QEMU target/xtensa/cpu.h); vectors: core-isa.h of lx106.
 */
import { hex32 } from '../../hex';

export const Cause = {
  ILLEGAL_INSTRUCTION: 0,
  SYSCALL: 1,
  INSTRUCTION_FETCH_ERROR: 2,
  LOAD_STORE_ERROR: 3,
  LEVEL1_INTERRUPT: 4,
  PRIVILEGED: 8,
  LOAD_STORE_ALIGNMENT: 9,
  INSTRUCTION_FETCH_PROHIBITED: 20,
  LOAD_PROHIBITED: 28,
  STORE_PROHIBITED: 29,
} as const;

export const CAUSE_NAMES: Readonly<Record<number, string>> = {
  0: 'IllegalInstruction',
  1: 'Syscall',
  2: 'InstructionFetchError',
  3: 'LoadStoreError',
  4: 'Level1Interrupt',
  8: 'Privileged',
  9: 'LoadStoreAlignment',
  20: 'InstFetchProhibited',
  28: 'LoadProhibited',
  29: 'StoreProhibited',
};

export const Vector = {
  DEBUG: 0x10,
  NMI: 0x20,
  KERNEL: 0x30,
  USER: 0x50,
  DOUBLE: 0x70,
} as const;

export const RESET_VECTOR = 0x40000080;

/** Why the CPU stopped: a fault with nothing to handle it, or a reason from the host side. */
export interface FaultReport {
  /** One sentence for logs and errors. */
  message: string;
  pc: number;
  /** EXCCAUSE when an exception got here, otherwise undefined. */
  cause?: number;
  excvaddr: number;
  epc1: number;
  registers: number[];
}

/** The one text of a fault report, for the board log and for test failures: where, why, and the registers. */
export function formatFault(report: FaultReport): string {
  const cause = report.cause === undefined ? '' : `, cause ${report.cause} (${CAUSE_NAMES[report.cause] ?? 'unknown'})`;
  const registers = report.registers.map((v, i) => `a${i}=${hex32(v)}`).join(' ');
  return `CPU stopped at ${hex32(report.pc)}: ${report.message}${cause}, EPC1 ${hex32(report.epc1)}, EXCVADDR ${hex32(report.excvaddr)}, ${registers}`;
}

/**
 * Thrown inside an instruction's execution once the exception state is set up (EPC, EXCCAUSE,
 * PS, the next pc at the vector), so the instruction leaves no partial result. One shared
 * object: taking an exception allocates nothing. The run loop catches it and carries on.
 */
export const EXCEPTION_TAKEN: { readonly taken: true } = Object.freeze({ taken: true });
