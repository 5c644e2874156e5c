/**
 * Arithmetic, logic, multiply, moves, conditional moves and NSA of the lx106 (Xtensa ISA core,
 * ADDX/SUBX, ABS, MUL16, MUL32 (MULL only), NSA, and the code density option's narrow forms).
 * RRR format: the result goes to r from s and t, except NEG/ABS (r from t) and NSA/NSAU (t from s).
 * Registers hold int32; `|0` wraps.
 */
import { CYCLES } from '../cycle-model';
import { InstructionDescriptor, op, signExtend } from '../instruction';

const rrr = (op1: number, op2: number) => ({ op0: 0, op1, op2 });
const extuiShift = (word: number): number => (((word >> 16) & 1) << 4) | ((word >> 8) & 15);

/** NSA: how far a left shift keeps the sign bit single; 31 for 0 and -1. */
const nsa = (v: number): number => Math.clz32(v ^ (v >> 31)) - 1;

export const ALU: InstructionDescriptor[] = [
  op('and', rrr(0, 1), (c, i) => {
    c.ar[i.r] = c.ar[i.s] & c.ar[i.t];
  }),
  op('or', rrr(0, 2), (c, i) => {
    c.ar[i.r] = c.ar[i.s] | c.ar[i.t];
  }),
  op('xor', rrr(0, 3), (c, i) => {
    c.ar[i.r] = c.ar[i.s] ^ c.ar[i.t];
  }),
  op('neg', { ...rrr(0, 6), s: 0 }, (c, i) => {
    c.ar[i.r] = -c.ar[i.t];
  }),
  op('abs', { ...rrr(0, 6), s: 1 }, (c, i) => {
    const v = c.ar[i.t];
    c.ar[i.r] = v < 0 ? -v : v;
  }),
  op('add', rrr(0, 8), (c, i) => {
    c.ar[i.r] = c.ar[i.s] + c.ar[i.t];
  }),
  op('addx2', rrr(0, 9), (c, i) => {
    c.ar[i.r] = (c.ar[i.s] << 1) + c.ar[i.t];
  }),
  op('addx4', rrr(0, 10), (c, i) => {
    c.ar[i.r] = (c.ar[i.s] << 2) + c.ar[i.t];
  }),
  op('addx8', rrr(0, 11), (c, i) => {
    c.ar[i.r] = (c.ar[i.s] << 3) + c.ar[i.t];
  }),
  op('sub', rrr(0, 12), (c, i) => {
    c.ar[i.r] = c.ar[i.s] - c.ar[i.t];
  }),
  op('subx2', rrr(0, 13), (c, i) => {
    c.ar[i.r] = (c.ar[i.s] << 1) - c.ar[i.t];
  }),
  op('subx4', rrr(0, 14), (c, i) => {
    c.ar[i.r] = (c.ar[i.s] << 2) - c.ar[i.t];
  }),
  op('subx8', rrr(0, 15), (c, i) => {
    c.ar[i.r] = (c.ar[i.s] << 3) - c.ar[i.t];
  }),
  op('nsa', { ...rrr(0, 4), r: 14 }, (c, i) => {
    c.ar[i.t] = nsa(c.ar[i.s]);
  }),
  op('nsau', { ...rrr(0, 4), r: 15 }, (c, i) => {
    c.ar[i.t] = Math.clz32(c.ar[i.s]);
  }),
  op('mul16u', rrr(1, 12), (c, i) => {
    c.ar[i.r] = Math.imul(c.ar[i.s] & 0xffff, c.ar[i.t] & 0xffff);
  }),
  op('mul16s', rrr(1, 13), (c, i) => {
    c.ar[i.r] = Math.imul((c.ar[i.s] << 16) >> 16, (c.ar[i.t] << 16) >> 16);
  }),
  op(
    'mull',
    rrr(2, 8),
    (c, i) => {
      c.ar[i.r] = Math.imul(c.ar[i.s], c.ar[i.t]);
    },
    { cycles: CYCLES.MULL },
  ),
  op('moveqz', rrr(3, 8), (c, i) => {
    if (c.ar[i.t] === 0) c.ar[i.r] = c.ar[i.s];
  }),
  op('movnez', rrr(3, 9), (c, i) => {
    if (c.ar[i.t] !== 0) c.ar[i.r] = c.ar[i.s];
  }),
  op('movltz', rrr(3, 10), (c, i) => {
    if (c.ar[i.t] < 0) c.ar[i.r] = c.ar[i.s];
  }),
  op('movgez', rrr(3, 11), (c, i) => {
    if (c.ar[i.t] >= 0) c.ar[i.r] = c.ar[i.s];
  }),
  // EXTUI: op1 4 or 5 carries the shift's top bit; op2 is the field width minus one.
  ...[4, 5].map((op1) =>
    op(
      'extui',
      { op0: 0, op1 },
      (c, i) => {
        c.ar[i.r] = (c.ar[i.t] >>> (i.imm & 31)) & (0xffffffff >>> (31 - (i.imm >> 5)));
      },
      { immediate: (word) => extuiShift(word) | (((word >> 20) & 15) << 5) },
    ),
  ),
  op(
    'addi',
    { op0: 2, r: 12 },
    (c, i) => {
      c.ar[i.t] = c.ar[i.s] + i.imm;
    },
    { immediate: (w) => signExtend(w >>> 16, 8) },
  ),
  op(
    'addmi',
    { op0: 2, r: 13 },
    (c, i) => {
      c.ar[i.t] = c.ar[i.s] + i.imm;
    },
    { immediate: (w) => signExtend(w >>> 16, 8) << 8 },
  ),
  op(
    'movi',
    { op0: 2, r: 10 },
    (c, i) => {
      c.ar[i.t] = i.imm;
    },
    { immediate: (w) => signExtend((((w >> 8) & 15) << 8) | (w >>> 16), 12) },
  ),
];

/** The density group's arithmetic and moves (op0 10–13): ADD.N, ADDI.N, MOVI.N, MOV.N. */
export const NARROW_ALU: InstructionDescriptor[] = [
  op('add.n', { op0: 10 }, (c, i) => {
    c.ar[i.r] = c.ar[i.s] + c.ar[i.t];
  }),
  // ADDI.N: t is the immediate, with 0 standing for -1.
  op(
    'addi.n',
    { op0: 11 },
    (c, i) => {
      c.ar[i.r] = c.ar[i.s] + i.imm;
    },
    {
      immediate: (w) => {
        const t = (w >> 4) & 15;
        return t === 0 ? -1 : t;
      },
    },
  ),
  // MOVI.N: imm7 = t[2:0] << 4 | r, covering -32..95.
  ...[0, 1, 2, 3, 4, 5, 6, 7].map((t) =>
    op(
      'movi.n',
      { op0: 12, t },
      (c, i) => {
        c.ar[i.s] = i.imm;
      },
      {
        immediate: (w) => {
          const v = (((w >> 4) & 7) << 4) | ((w >> 12) & 15);
          return v >= 96 ? v - 128 : v;
        },
      },
    ),
  ),
  op('mov.n', { op0: 13, r: 0 }, (c, i) => {
    c.ar[i.t] = c.ar[i.s];
  }),
];
