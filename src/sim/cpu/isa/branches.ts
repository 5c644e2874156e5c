/**
 * Branches, jumps and calls (call0 ABI only: the lx106 has no register windows).
 * Targets are absolute once decoded: BRI8/RRI8 forms go to pc + 4 + sext(imm8), BRI12 to
 * pc + 4 + sext(imm12), J to pc + 4 + sext(offset18), CALL0 to (pc & ~3) + 4 + sext(offset18) * 4.
 * BEQI-style forms compare with B4CONST[r], the unsigned ones with B4CONSTU[r] (Xtensa ISA).
 */
import { InstructionDescriptor, op, signExtend } from '../instruction';
import type { Cpu } from '../cpu';
import type { Insn } from '../instruction';

const B4CONST = [-1, 1, 2, 3, 4, 5, 6, 7, 8, 10, 12, 16, 32, 64, 128, 256];
const B4CONSTU = [32768, 65536, 2, 3, 4, 5, 6, 7, 8, 10, 12, 16, 32, 64, 128, 256];

const rri8Target = (w: number, pc: number): number => (pc + 4 + signExtend(w >>> 16, 8)) | 0;
const bri12Target = (w: number, pc: number): number => (pc + 4 + signExtend(w >>> 12, 12)) | 0;
type Test = (a: number, b: number) => boolean;

/** A two-register branch (op0 7): AR[s] against AR[t]. */
const b2 = (name: string, r: number, test: Test): InstructionDescriptor =>
  op(
    name,
    { op0: 7, r },
    (c, i) => {
      if (test(c.ar[i.s], c.ar[i.t])) c.branch(i.imm);
    },
    { immediate: rri8Target },
  );

/** A branch on one register against zero (BRI12, op0 6 n 1). */
const bz = (name: string, m: number, test: (a: number) => boolean): InstructionDescriptor =>
  op(
    name,
    { op0: 6, n: 1, m },
    (c, i) => {
      if (test(c.ar[i.s])) c.branch(i.imm);
    },
    { immediate: bri12Target },
  );

/** A branch on one register against B4CONST[r] or B4CONSTU[r] (BRI8). */
function bi(name: string, n: number, m: number, table: number[], test: Test): InstructionDescriptor {
  return op(
    name,
    { op0: 6, n, m },
    (c, i) => {
      if (test(c.ar[i.s], table[i.r])) c.branch(i.imm);
    },
    { immediate: rri8Target },
  );
}

const bitOf = (c: Cpu, i: Insn): number => (c.ar[i.s] >>> (c.ar[i.t] & 31)) & 1;

export const BRANCHES: InstructionDescriptor[] = [
  b2('bnone', 0, (a, b) => (a & b) === 0),
  b2('beq', 1, (a, b) => a === b),
  b2('blt', 2, (a, b) => a < b),
  b2('bltu', 3, (a, b) => a >>> 0 < b >>> 0),
  b2('ball', 4, (a, b) => (~a & b) === 0),
  b2('bany', 8, (a, b) => (a & b) !== 0),
  b2('bne', 9, (a, b) => a !== b),
  b2('bge', 10, (a, b) => a >= b),
  b2('bgeu', 11, (a, b) => a >>> 0 >= b >>> 0),
  b2('bnall', 12, (a, b) => (~a & b) !== 0),
  op(
    'bbc',
    { op0: 7, r: 5 },
    (c, i) => {
      if (bitOf(c, i) === 0) c.branch(i.imm);
    },
    { immediate: rri8Target },
  ),
  op(
    'bbs',
    { op0: 7, r: 13 },
    (c, i) => {
      if (bitOf(c, i) === 1) c.branch(i.imm);
    },
    { immediate: rri8Target },
  ),
  // BBCI/BBSI: the bit number is r[0] << 4 | t, so each takes two r values.
  ...[6, 7].map((r) =>
    op(
      'bbci',
      { op0: 7, r },
      (c, i) => {
        if (((c.ar[i.s] >>> (((i.r & 1) << 4) | i.t)) & 1) === 0) c.branch(i.imm);
      },
      { immediate: rri8Target },
    ),
  ),
  ...[14, 15].map((r) =>
    op(
      'bbsi',
      { op0: 7, r },
      (c, i) => {
        if (((c.ar[i.s] >>> (((i.r & 1) << 4) | i.t)) & 1) === 1) c.branch(i.imm);
      },
      { immediate: rri8Target },
    ),
  ),
  bz('beqz', 0, (a) => a === 0),
  bz('bnez', 1, (a) => a !== 0),
  bz('bltz', 2, (a) => a < 0),
  bz('bgez', 3, (a) => a >= 0),
  bi('beqi', 2, 0, B4CONST, (a, b) => a === b),
  bi('bnei', 2, 1, B4CONST, (a, b) => a !== b),
  bi('blti', 2, 2, B4CONST, (a, b) => a < b),
  bi('bgei', 2, 3, B4CONST, (a, b) => a >= b),
  bi('bltui', 3, 2, B4CONSTU, (a, b) => a >>> 0 < b),
  bi('bgeui', 3, 3, B4CONSTU, (a, b) => a >>> 0 >= b),
  op(
    'j',
    { op0: 6, n: 0 },
    (c, i) => {
      c.branch(i.imm);
    },
    { immediate: (w, pc) => (pc + 4 + signExtend(w >>> 6, 18)) | 0 },
  ),
  op(
    'call0',
    { op0: 5, n: 0 },
    (c, i) => {
      c.ar[0] = c.pc + 3;
      c.jump(i.imm);
    },
    { immediate: (w, pc) => ((pc & ~3) + 4 + (signExtend(w >>> 6, 18) << 2)) | 0 },
  ),
  op('callx0', { op0: 0, op1: 0, op2: 0, r: 0, m: 3, n: 0 }, (c, i) => {
    const target = c.ar[i.s];
    c.ar[0] = c.pc + 3;
    c.jump(target);
  }),
  op('jx', { op0: 0, op1: 0, op2: 0, r: 0, m: 2, n: 2 }, (c, i) => {
    c.jump(c.ar[i.s]);
  }),
  op('ret', { op0: 0, op1: 0, op2: 0, r: 0, s: 0, m: 2, n: 0 }, (c) => {
    c.jump(c.ar[0]);
  }),
];

/** The 16-bit BEQZ.N/BNEZ.N (op0 12, t[3:2] = 2 or 3): pc + 4 + imm6, forward only. */
const narrowTarget = (w: number, pc: number): number => pc + 4 + ((((w >> 4) & 3) << 4) | ((w >> 12) & 15));

export const NARROW_BRANCHES: InstructionDescriptor[] = [
  ...[8, 9, 10, 11].map((t) =>
    op(
      'beqz.n',
      { op0: 12, t },
      (c, i) => {
        if (c.ar[i.s] === 0) c.branch(i.imm);
      },
      { immediate: narrowTarget },
    ),
  ),
  ...[12, 13, 14, 15].map((t) =>
    op(
      'bnez.n',
      { op0: 12, t },
      (c, i) => {
        if (c.ar[i.s] !== 0) c.branch(i.imm);
      },
      { immediate: narrowTarget },
    ),
  ),
  op('ret.n', { op0: 13, r: 15, s: 0, t: 0 }, (c) => {
    c.jump(c.ar[0]);
  }),
];
