/**
 * One instruction of the table: how to recognise it (the bits it fixes), what its operand
 * fields mean, how to execute it and what it costs. Decoded once per address into an Insn
 * the CPU keeps, so running an instruction is one indirect call with its operands at hand.
 * Field layout (Xtensa ISA, little-endian): op0 [3:0], t [7:4], s [11:8], r [15:12],
 * op1 [19:16], op2 [23:20]; m and n are the halves of t.
 */
import type { Cpu } from './cpu';
import { CYCLES } from './cycle-model';

export type Execute = (cpu: Cpu, insn: Insn) => void;

export interface InstructionDescriptor {
  readonly name: string;
  /** 2 or 3 bytes. */
  readonly size: number;
  /** The bits that identify the instruction within its word, and their values. */
  readonly mask: number;
  readonly match: number;
  /** The immediate or absolute target, from the word and the instruction's address. */
  readonly immediate: (word: number, pc: number) => number;
  readonly execute: Execute;
  readonly cycles: number;
  /** A load: the register in field t (or r for none) is written from memory. */
  readonly loadsInto?: 't';
  /** False when the encoding is reserved for this operand (e.g. a special register the core lacks). */
  readonly valid?: (word: number) => boolean;
}

/** An instruction decoded at one address. Every field is a small integer: no allocation when it runs. */
export class Insn {
  readonly r: number;
  readonly s: number;
  readonly t: number;
  readonly imm: number;
  readonly size: number;
  readonly cycles: number;
  readonly execute: Execute;
  /** Registers this instruction names (bit per register), for the load-use stall. */
  readonly names: number;
  /** The register a load writes, as a bit, or 0. */
  readonly loads: number;

  constructor(
    readonly descriptor: InstructionDescriptor,
    readonly pc: number,
    readonly word: number,
  ) {
    this.r = (word >> 12) & 15;
    this.s = (word >> 8) & 15;
    this.t = (word >> 4) & 15;
    this.imm = descriptor.immediate(word, pc);
    this.size = descriptor.size;
    this.cycles = descriptor.cycles;
    this.execute = descriptor.execute;
    this.names = (1 << this.r) | (1 << this.s) | (1 << this.t);
    this.loads = descriptor.loadsInto === 't' ? 1 << this.t : 0;
  }
}

export interface Fields {
  op0: number;
  op1?: number;
  op2?: number;
  r?: number;
  s?: number;
  t?: number;
  m?: number;
  n?: number;
}

/** The mask and value of the fixed fields. */
export function encoding(fields: Fields): { mask: number; match: number } {
  let mask = 0xf;
  let match = fields.op0;
  const put = (value: number | undefined, shift: number, width: number): void => {
    if (value === undefined) return;
    const bits = (1 << width) - 1;
    mask |= bits << shift;
    match |= (value & bits) << shift;
  };
  put(fields.t, 4, 4);
  put(fields.n, 4, 2);
  put(fields.m, 6, 2);
  put(fields.s, 8, 4);
  put(fields.r, 12, 4);
  put(fields.op1, 16, 4);
  put(fields.op2, 20, 4);
  return { mask, match };
}

const noImmediate = (): number => 0;

/** A descriptor from its fixed fields, with defaults for everything else. */
export function op(
  name: string,
  fields: Fields,
  execute: Execute,
  extra: Partial<Pick<InstructionDescriptor, 'immediate' | 'cycles' | 'loadsInto' | 'valid' | 'size'>> = {},
): InstructionDescriptor {
  const size = extra.size ?? (fields.op0 >= 8 ? 2 : 3);
  return {
    name,
    size,
    ...encoding(fields),
    immediate: extra.immediate ?? noImmediate,
    execute,
    cycles: extra.cycles ?? CYCLES.DEFAULT,
    loadsInto: extra.loadsInto,
    valid: extra.valid,
  };
}

export const signExtend = (value: number, bits: number): number => (value << (32 - bits)) >> (32 - bits);
