/**
 * The lx106's instruction set as one table, indexed by op0 (the low 4 bits), and the decode
 * step that turns the bytes at an address into an Insn. op0 0–7 are 24-bit instructions,
 * 8–13 the 16-bit density ones; 14 and 15 and every encoding no descriptor claims are
 * illegal instructions, as are options the ESP8266's core lacks (windows, loops, booleans,
 * floating point, MAC16, MIN/MAX, SEXT, CLAMPS, DIV32, MUL32_HIGH, S32C1I, caches).
 */
import { Cause } from './exceptions';
import { InstructionDescriptor, Insn, op } from './instruction';
import { ALU, NARROW_ALU } from './isa/alu';
import { BRANCHES, NARROW_BRANCHES } from './isa/branches';
import { MEMORY, NARROW_MEMORY } from './isa/memory';
import { SHIFTS } from './isa/shifts';
import { NARROW_SYSTEM, SYSTEM } from './isa/system';

export const INSTRUCTION_SET: readonly InstructionDescriptor[] = [
  ...ALU,
  ...NARROW_ALU,
  ...SHIFTS,
  ...MEMORY,
  ...NARROW_MEMORY,
  ...BRANCHES,
  ...NARROW_BRANCHES,
  ...SYSTEM,
  ...NARROW_SYSTEM,
];

const illegal = (size: number): InstructionDescriptor =>
  op('ill (undefined encoding)', { op0: 0 }, (c) => c.exception(Cause.ILLEGAL_INSTRUCTION), { size });
const ILLEGAL_24 = illegal(3);
const ILLEGAL_16 = illegal(2);

const byOp0: InstructionDescriptor[][] = Array.from({ length: 16 }, () => []);
for (const descriptor of INSTRUCTION_SET) byOp0[descriptor.match & 15].push(descriptor);

/** The descriptor for a 16- or 24-bit instruction word (bytes beyond its size ignored). */
export function lookup(word: number): InstructionDescriptor {
  const op0 = word & 15;
  const size = op0 >= 8 ? 2 : 3;
  const bits = size === 2 ? word & 0xffff : word & 0xffffff;
  for (const descriptor of byOp0[op0]) {
    if ((bits & descriptor.mask) === descriptor.match && (descriptor.valid === undefined || descriptor.valid(bits))) return descriptor;
  }
  return size === 2 ? ILLEGAL_16 : ILLEGAL_24;
}

export function decode(word: number, pc: number): Insn {
  const descriptor = lookup(word);
  return new Insn(descriptor, pc, descriptor.size === 2 ? word & 0xffff : word & 0xffffff);
}

/** Two descriptors claiming the same encoding would make the table's order matter: refuse that. */
export function overlappingDescriptors(): string[] {
  const clashes: string[] = [];
  for (const list of byOp0) {
    for (let a = 0; a < list.length; a++) {
      for (let b = a + 1; b < list.length; b++) {
        const common = list[a].mask & list[b].mask;
        if ((list[a].match & common) === (list[b].match & common)) clashes.push(`${list[a].name} / ${list[b].name}`);
      }
    }
  }
  return clashes;
}
