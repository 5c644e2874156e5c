/**
 * Shifts and the shift-amount register SAR (6 bits). The register forms shift a 64-bit
 * value by SAR as the ISA defines them: SRC shifts {s,t} right, SRL/SRA shift t (zero or
 * sign extended), SLL shifts s left by 32 - SAR; amounts of 32 and more shift everything out.
 * Immediate forms: SLLI encodes 32 - amount, SRAI a 5-bit amount, SRLI a 4-bit one.
 */
import { InstructionDescriptor, op } from '../instruction';

const rrr = (op1: number, op2: number) => ({ op0: 0, op1, op2 });
const st1 = (r: number) => ({ op0: 0, op1: 0, op2: 4, r });

/** The low word of ({hi, lo} >> amount) for amount 0..63. */
function funnelRight(hi: number, lo: number, amount: number): number {
  if (amount === 0) return lo;
  if (amount < 32) return (lo >>> amount) | (hi << (32 - amount));
  return amount === 32 ? hi : hi >>> (amount - 32);
}

export const SHIFTS: InstructionDescriptor[] = [
  op('ssr', { ...st1(0), t: 0 }, (c, i) => {
    c.sar = c.ar[i.s] & 31;
  }),
  op('ssl', { ...st1(1), t: 0 }, (c, i) => {
    c.sar = 32 - (c.ar[i.s] & 31);
  }),
  op('ssa8l', { ...st1(2), t: 0 }, (c, i) => {
    c.sar = (c.ar[i.s] & 3) << 3;
  }),
  op('ssa8b', { ...st1(3), t: 0 }, (c, i) => {
    c.sar = 32 - ((c.ar[i.s] & 3) << 3);
  }),
  op(
    'ssai',
    { ...st1(4) },
    (c, i) => {
      c.sar = i.imm;
    },
    { immediate: (w) => ((w >> 8) & 15) | (((w >> 4) & 1) << 4), valid: (w) => ((w >> 5) & 7) === 0 },
  ),
  ...[0, 1].map((low) =>
    op(
      'slli',
      rrr(1, low),
      (c, i) => {
        c.ar[i.r] = c.ar[i.s] << i.imm;
      },
      {
        immediate: (w) => (32 - ((((w >> 20) & 1) << 4) | ((w >> 4) & 15))) & 31,
      },
    ),
  ),
  ...[2, 3].map((op2) =>
    op(
      'srai',
      rrr(1, op2),
      (c, i) => {
        c.ar[i.r] = c.ar[i.t] >> i.imm;
      },
      {
        immediate: (w) => (((w >> 20) & 1) << 4) | ((w >> 8) & 15),
      },
    ),
  ),
  op(
    'srli',
    rrr(1, 4),
    (c, i) => {
      c.ar[i.r] = c.ar[i.t] >>> i.imm;
    },
    { immediate: (w) => (w >> 8) & 15 },
  ),
  op('src', rrr(1, 8), (c, i) => {
    c.ar[i.r] = funnelRight(c.ar[i.s], c.ar[i.t], c.sar);
  }),
  op('srl', { ...rrr(1, 9), s: 0 }, (c, i) => {
    c.ar[i.r] = funnelRight(0, c.ar[i.t], c.sar);
  }),
  op('sll', { ...rrr(1, 10), t: 0 }, (c, i) => {
    const amount = (32 - c.sar) & 63;
    c.ar[i.r] = amount >= 32 ? 0 : c.ar[i.s] << amount;
  }),
  op('sra', { ...rrr(1, 11), s: 0 }, (c, i) => {
    const v = c.ar[i.t];
    c.ar[i.r] = c.sar >= 32 ? v >> 31 : funnelRight(v >> 31, v, c.sar);
  }),
];
