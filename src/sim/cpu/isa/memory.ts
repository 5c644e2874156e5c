/**
 * Loads and stores (RRI8: t is the data, s the base, imm8 scaled by the access size) and
 * L32R, which reads a literal PC-relative below the code, or relative to LITBASE when a
 * program enabled it (bit 0). The CPU checks alignment and the bus checks what the
 * address allows; a fault leaves the target register untouched.
 */
import { InstructionDescriptor, op } from '../instruction';

const lsai = (r: number) => ({ op0: 2, r });
const offset =
  (scale: number) =>
  (w: number): number =>
    (w >>> 16) << scale;

export const MEMORY: InstructionDescriptor[] = [
  op(
    'l8ui',
    lsai(0),
    (c, i) => {
      c.ar[i.t] = c.load8(c.ar[i.s] + i.imm);
    },
    { immediate: offset(0), loadsInto: 't' },
  ),
  op(
    'l16ui',
    lsai(1),
    (c, i) => {
      c.ar[i.t] = c.load16(c.ar[i.s] + i.imm);
    },
    { immediate: offset(1), loadsInto: 't' },
  ),
  op(
    'l16si',
    lsai(9),
    (c, i) => {
      c.ar[i.t] = (c.load16(c.ar[i.s] + i.imm) << 16) >> 16;
    },
    { immediate: offset(1), loadsInto: 't' },
  ),
  op(
    'l32i',
    lsai(2),
    (c, i) => {
      c.ar[i.t] = c.load32(c.ar[i.s] + i.imm);
    },
    { immediate: offset(2), loadsInto: 't' },
  ),
  op(
    's8i',
    lsai(4),
    (c, i) => {
      c.store8(c.ar[i.s] + i.imm, c.ar[i.t]);
    },
    { immediate: offset(0) },
  ),
  op(
    's16i',
    lsai(5),
    (c, i) => {
      c.store16(c.ar[i.s] + i.imm, c.ar[i.t]);
    },
    { immediate: offset(1) },
  ),
  op(
    's32i',
    lsai(6),
    (c, i) => {
      c.store32(c.ar[i.s] + i.imm, c.ar[i.t]);
    },
    { immediate: offset(2) },
  ),
  op(
    'l32r',
    { op0: 1 },
    (c, i) => {
      c.ar[i.t] = c.load32(c.litbase === 0 ? i.imm : (c.litbase & ~0xfff) + (((i.word >>> 8) | 0xffff0000) << 2));
    },
    {
      // PC-relative form: ((pc + 3) & ~3) + (0xFFFF0000 | imm16) * 4, always below the code.
      immediate: (w, pc) => ((pc + 3) & ~3) + (((w >>> 8) | 0xffff0000) << 2),
      loadsInto: 't',
    },
  ),
];

/** The 16-bit L32I.N/S32I.N: offset r * 4, data in t, base in s. */
export const NARROW_MEMORY: InstructionDescriptor[] = [
  op(
    'l32i.n',
    { op0: 8 },
    (c, i) => {
      c.ar[i.t] = c.load32(c.ar[i.s] + i.imm);
    },
    { immediate: (w) => ((w >> 12) & 15) << 2, loadsInto: 't' },
  ),
  op(
    's32i.n',
    { op0: 9 },
    (c, i) => {
      c.store32(c.ar[i.s] + i.imm, c.ar[i.t]);
    },
    { immediate: (w) => ((w >> 12) & 15) << 2 },
  ),
];
