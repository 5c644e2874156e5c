/**
 * Synchronisation, special-register access, interrupt level, exception return and the
 * instructions that raise exceptions on purpose (ILL, SYSCALL, BREAK). The ST0 group is
 * op0 0, op1 0, op2 0, selected by r (Xtensa ISA opcode maps).
 */
import { Cause } from '../exceptions';
import { InstructionDescriptor, op } from '../instruction';
import { SR_READABLE, SR_WRITABLE } from '../special-registers';

const st0 = (r: number) => ({ op0: 0, op1: 0, op2: 0, r });
const srOf = (w: number): number => (w >> 8) & 0xff;
const nothing = (): void => {};

export const SYSTEM: InstructionDescriptor[] = [
  op('ill', { ...st0(0), s: 0, t: 0 }, (c) => c.exception(Cause.ILLEGAL_INSTRUCTION)),
  // SYNC group: no caches and an in-order pipeline, so every barrier is a no-op here.
  ...(
    [
      ['isync', 0],
      ['rsync', 1],
      ['esync', 2],
      ['dsync', 3],
      ['excw', 8],
      ['memw', 12],
      ['extw', 13],
      ['nop', 15],
    ] as const
  ).map(([name, t]) => op(name, { ...st0(2), s: 0, t }, nothing)),
  op('rfe', { ...st0(3), t: 0, s: 0 }, (c) => c.returnFromException()),
  op('rfde', { ...st0(3), t: 0, s: 2 }, (c) => c.returnFromDoubleException()),
  op('rfi', { ...st0(3), t: 1 }, (c, i) => c.returnFromInterrupt(i.s), {
    valid: (w) => {
      const level = (w >> 8) & 15;
      return level >= 2 && level <= 3;
    },
  }),
  op('break', st0(4), (c) => c.debugBreak(false)),
  op('syscall', { ...st0(5), s: 0, t: 0 }, (c) => c.exception(Cause.SYSCALL)),
  op('simcall', { ...st0(5), s: 1, t: 0 }, (c) => c.simcall()),
  op('rsil', st0(6), (c, i) => c.rsil(i.t, i.s)),
  op('waiti', { ...st0(7), t: 0 }, (c, i) => c.waiti(i.s)),
  op(
    'rsr',
    { op0: 0, op1: 3, op2: 0 },
    (c, i) => {
      c.ar[i.t] = c.readSpecial(i.imm);
    },
    { immediate: srOf, valid: (w) => SR_READABLE.has(srOf(w)) },
  ),
  op('wsr', { op0: 0, op1: 3, op2: 1 }, (c, i) => c.writeSpecial(i.imm, c.ar[i.t]), {
    immediate: srOf,
    valid: (w) => SR_WRITABLE.has(srOf(w)),
  }),
  op(
    'xsr',
    { op0: 0, op1: 1, op2: 6 },
    (c, i) => {
      const old = c.readSpecial(i.imm);
      c.writeSpecial(i.imm, c.ar[i.t]);
      c.ar[i.t] = old;
    },
    { immediate: srOf, valid: (w) => SR_READABLE.has(srOf(w)) && SR_WRITABLE.has(srOf(w)) },
  ),
  // External registers (RER/WER): nothing is attached to the ESP8266's ER bus that we model.
  op('rer', { op0: 0, op1: 0, op2: 4, r: 6 }, (c, i) => {
    c.ar[i.t] = 0;
  }),
  op('wer', { op0: 0, op1: 0, op2: 4, r: 7 }, nothing),
];

/** The density group's no-ops, BREAK.N and ILL.N (op0 13, r 15). */
export const NARROW_SYSTEM: InstructionDescriptor[] = [
  op('break.n', { op0: 13, r: 15, t: 2 }, (c) => c.debugBreak(true)),
  op('nop.n', { op0: 13, r: 15, s: 0, t: 3 }, nothing),
  op('ill.n', { op0: 13, r: 15, s: 0, t: 6 }, (c) => c.exception(Cause.ILLEGAL_INSTRUCTION)),
];
