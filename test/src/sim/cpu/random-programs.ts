// Random lx106 programs for the differential fuzz: seeded fast-check arbitraries make
// sequences of valid instructions (ALU, shifts, multiplies, moves, loads and stores within
// the dumped scratch words, forward branches), each started from random registers and SAR
// and ended with a full dump. Registers a2..a15 are the operands; a1 points at the scratch.
import fc from 'fast-check';

import { step } from './dump-harness';
import type { Case } from './instruction-cases';

const REG = fc.integer({ min: 2, max: 15 }).map((n) => `a${n}`);
const VALUE = fc.oneof(
  fc.integer({ min: -0x80000000, max: 0x7fffffff }),
  fc.constantFrom(0, 1, -1, 0x80000000 | 0, 0x7fffffff, 31, 32, 0xffff, 0x8000),
);

const RRR = [
  'and',
  'or',
  'xor',
  'add',
  'addx2',
  'addx4',
  'addx8',
  'sub',
  'subx2',
  'subx4',
  'subx8',
  'mul16u',
  'mul16s',
  'mull',
  'moveqz',
  'movnez',
  'movltz',
  'movgez',
  'src',
];
const TWO = ['neg', 'abs', 'nsa', 'nsau', 'srl', 'sra', 'sll'];
const SAR_SETTERS = ['ssr', 'ssl', 'ssa8l', 'ssa8b'];
const BRANCH2 = ['beq', 'bne', 'blt', 'bge', 'bltu', 'bgeu', 'bany', 'bnone', 'ball', 'bnall', 'bbc', 'bbs'];
const BRANCHZ = ['beqz', 'bnez', 'bltz', 'bgez'];
const B4CONST = [-1, 1, 2, 3, 4, 5, 6, 7, 8, 10, 12, 16, 32, 64, 128, 256];
const B4CONSTU = [32768, 65536, 2, 3, 4, 5, 6, 7, 8, 10, 12, 16, 32, 64, 128, 256];

/** A branch item: its text with `%L` for the label, and how many following instructions it may skip. */
interface Item {
  text: string;
  skip?: number;
}

const plain = (arb: fc.Arbitrary<string>): fc.Arbitrary<Item> => arb.map((text) => ({ text }));
const branch = (arb: fc.Arbitrary<string>): fc.Arbitrary<Item> =>
  fc.tuple(arb, fc.integer({ min: 0, max: 4 })).map(([text, skip]) => ({ text, skip }));

const INSTRUCTION: fc.Arbitrary<Item> = fc.oneof(
  plain(fc.tuple(fc.constantFrom(...RRR), REG, REG, REG).map(([n, r, s, t]) => `    _${n} ${r}, ${s}, ${t}`)),
  plain(fc.tuple(fc.constantFrom(...TWO), REG, REG).map(([n, r, t]) => `    _${n} ${r}, ${t}`)),
  plain(fc.tuple(fc.constantFrom(...SAR_SETTERS), REG).map(([n, s]) => `    ${n} ${s}`)),
  plain(fc.integer({ min: 0, max: 31 }).map((n) => `    ssai ${n}`)),
  plain(fc.tuple(fc.constantFrom('rsr', 'wsr', 'xsr'), REG).map(([n, t]) => `    ${n} ${t}, sar`)),
  plain(fc.tuple(REG, REG, fc.integer({ min: -128, max: 127 })).map(([t, s, i]) => `    _addi ${t}, ${s}, ${i}`)),
  plain(fc.tuple(REG, REG, fc.integer({ min: -128, max: 127 })).map(([t, s, i]) => `    _addmi ${t}, ${s}, ${i * 256}`)),
  plain(fc.tuple(REG, fc.integer({ min: -2048, max: 2047 })).map(([t, i]) => `    _movi ${t}, ${i}`)),
  plain(fc.tuple(REG, fc.integer({ min: -32, max: 95 })).map(([t, i]) => `    movi.n ${t}, ${i}`)),
  plain(fc.tuple(REG, REG, fc.constantFrom(-1, 1, 2, 3, 4, 7, 8, 15)).map(([r, s, i]) => `    addi.n ${r}, ${s}, ${i}`)),
  plain(fc.tuple(REG, REG, REG).map(([r, s, t]) => `    add.n ${r}, ${s}, ${t}`)),
  plain(fc.tuple(REG, REG).map(([t, s]) => `    mov.n ${t}, ${s}`)),
  plain(
    fc
      .tuple(REG, REG, fc.integer({ min: 0, max: 31 }), fc.integer({ min: 1, max: 16 }))
      .filter(([, , shift, width]) => shift + width <= 32)
      .map(([r, t, shift, width]) => `    extui ${r}, ${t}, ${shift}, ${width}`),
  ),
  plain(fc.tuple(REG, REG, fc.integer({ min: 1, max: 31 })).map(([r, s, n]) => `    _slli ${r}, ${s}, ${n}`)),
  plain(fc.tuple(REG, REG, fc.integer({ min: 0, max: 31 })).map(([r, t, n]) => `    _srai ${r}, ${t}, ${n}`)),
  plain(fc.tuple(REG, REG, fc.integer({ min: 0, max: 15 })).map(([r, t, n]) => `    _srli ${r}, ${t}, ${n}`)),
  plain(fc.tuple(fc.constantFrom('l8ui', 's8i'), REG, fc.integer({ min: 0, max: 15 })).map(([n, t, o]) => `    _${n} ${t}, a1, ${o}`)),
  plain(
    fc
      .tuple(fc.constantFrom('l16ui', 'l16si', 's16i'), REG, fc.integer({ min: 0, max: 7 }))
      .map(([n, t, o]) => `    _${n} ${t}, a1, ${o * 2}`),
  ),
  plain(
    fc
      .tuple(fc.constantFrom('l32i', 's32i', 'l32i.n', 's32i.n'), REG, fc.integer({ min: 0, max: 3 }))
      .map(([n, t, o]) => `    ${n.endsWith('.n') ? '' : '_'}${n} ${t}, a1, ${o * 4}`),
  ),
  branch(fc.tuple(fc.constantFrom(...BRANCH2), REG, REG).map(([n, s, t]) => `    _${n} ${s}, ${t}, %L`)),
  branch(fc.tuple(fc.constantFrom(...BRANCHZ), REG).map(([n, s]) => `    _${n} ${s}, %L`)),
  branch(fc.tuple(fc.constantFrom('beqz.n', 'bnez.n'), REG).map(([n, s]) => `    ${n} ${s}, %L`)),
  branch(
    fc
      .tuple(fc.constantFrom('beqi', 'bnei', 'blti', 'bgei'), REG, fc.constantFrom(...B4CONST))
      .map(([n, s, k]) => `    _${n} ${s}, ${k}, %L`),
  ),
  branch(fc.tuple(fc.constantFrom('bltui', 'bgeui'), REG, fc.constantFrom(...B4CONSTU)).map(([n, s, k]) => `    _${n} ${s}, ${k}, %L`)),
  branch(fc.tuple(fc.constantFrom('bbci', 'bbsi'), REG, fc.integer({ min: 0, max: 31 })).map(([n, s, b]) => `    _${n} ${s}, ${b}, %L`)),
);

export interface RandomProgram {
  registers: number[];
  sar: number;
  items: Item[];
}

/**
 * QEMU translates SRL and SRA as 32-bit host shifts by SAR when SSL or SSA8B set SAR earlier in the
 * same translation block (translate.c, translate_srl/translate_sra with sar_m32_5bit); SAR is then 32 when
 * the amount was 0 mod 32, a shift the host leaves undone, while the ISA shifts everything
 * out. That is QEMU's quirk, not the core's: programs mixing the two are left out here, and
 * shift-amount.test.ts checks the ISA's answer.
 */
const hitsQemuShiftQuirk = (items: Item[]): boolean =>
  items.some((i) => /^ {4}(ssl|ssa8b) /.test(i.text)) && items.some((i) => /^ {4}_sr[la] /.test(i.text));

const RANDOM_PROGRAM: fc.Arbitrary<RandomProgram> = fc.record({
  registers: fc.array(VALUE, { minLength: 14, maxLength: 14 }),
  sar: fc.integer({ min: 0, max: 63 }),
  items: fc.array(INSTRUCTION, { minLength: 4, maxLength: 40 }).filter((items) => !hitsQemuShiftQuirk(items)),
});

let labels = 0;

/** The program's text: forward branch targets become labels after the instructions they skip. */
export function caseOf(p: RandomProgram): Case {
  const lines: string[] = [`    movi a1, scratch`];
  p.registers.forEach((v, i) => lines.push(`    movi a${i + 2}, 0x${(v >>> 0).toString(16)}`));
  lines.push(`    movi a2, ${p.sar}`, '    wsr a2, sar', `    movi a2, 0x${(p.registers[0] >>> 0).toString(16)}`);
  const pending = new Map<number, string[]>();
  p.items.forEach((item, index) => {
    for (const label of pending.get(index) ?? []) lines.push(`${label}:`);
    if (item.skip === undefined) {
      lines.push(item.text);
      return;
    }
    const label = `.Lf${labels++}`;
    lines.push(item.text.replace('%L', label));
    const at = Math.min(index + 1 + item.skip, p.items.length);
    pending.set(at, [...(pending.get(at) ?? []), label]);
  });
  for (const label of pending.get(p.items.length) ?? []) lines.push(`${label}:`);
  return { description: lines.join('\n'), text: step(lines.join('\n')) };
}

/** `count` programs from `seed`: the same seed gives the same programs. */
export function randomPrograms(seed: number, count: number): Case[] {
  return fc.sample(RANDOM_PROGRAM, { seed, numRuns: count }).map(caseOf);
}
