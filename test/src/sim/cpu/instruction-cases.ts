// One generated program per instruction class: every instruction of the lx106 run with
// edge-case operands (0, -1, 0x80000000, shift amounts 0/31/32, unaligned addresses, branch
// targets before and after the branch), each case followed by a full register dump.
import { step } from './dump-harness';

export interface Case {
  description: string;
  text: string;
}

const EDGES = [0, 1, -1, 0x80000000, 0x7fffffff, 0x12345678, 0xffff8000, 31, 32];
const hex = (v: number): string => '0x' + (v >>> 0).toString(16);
const c = (description: string, body: string): Case => ({ description, text: step(body) });
const set = (reg: string, value: number): string => `    movi ${reg}, ${hex(value)}`;

function pairs(values: number[]): Array<[number, number]> {
  return values.flatMap((a) => values.map((b) => [a, b] as [number, number]));
}

function aluCases(): Case[] {
  const cases: Case[] = [];
  const rrr = [
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
  ];
  for (const name of rrr) {
    for (const [x, y] of pairs(EDGES)) {
      cases.push(c(`${name} ${hex(x)}, ${hex(y)}`, `${set('a3', x)}\n${set('a4', y)}\n${set('a5', 0x5a5a5a5a)}\n    _${name} a5, a3, a4`));
    }
    cases.push(c(`${name} same register`, `${set('a6', 0x80000001)}\n    _${name} a6, a6, a6`));
  }
  const unary = ['neg', 'abs', 'nsa', 'nsau'];
  const many = [...EDGES, 2, 3, 0x40000000, 0xc0000000, 0xfffffffe, 0x00010000, 0x0000ffff];
  for (const name of unary) {
    for (const x of many) {
      const form = name.startsWith('nsa') ? `    _${name} a5, a3` : `    _${name} a5, a3`;
      cases.push(c(`${name} ${hex(x)}`, `${set('a3', x)}\n${set('a5', 0x5a5a5a5a)}\n${form}`));
    }
  }
  for (const [x, y] of pairs(EDGES)) cases.push(c(`add.n ${hex(x)}, ${hex(y)}`, `${set('a3', x)}\n${set('a4', y)}\n    add.n a5, a3, a4`));
  for (const imm of [-1, 1, 2, 7, 15]) {
    for (const x of EDGES) cases.push(c(`addi.n ${hex(x)}, ${imm}`, `${set('a3', x)}\n    addi.n a5, a3, ${imm}`));
  }
  for (const imm of [-128, -1, 0, 1, 127]) {
    for (const x of EDGES) {
      cases.push(c(`addi ${hex(x)}, ${imm}`, `${set('a3', x)}\n    _addi a5, a3, ${imm}`));
      cases.push(c(`addmi ${hex(x)}, ${imm * 256}`, `${set('a3', x)}\n    _addmi a5, a3, ${imm * 256}`));
    }
  }
  for (const imm of [-2048, -1, 0, 1, 2047, 100, -100]) cases.push(c(`movi ${imm}`, `    _movi a7, ${imm}`));
  for (const imm of [-32, -1, 0, 1, 63, 64, 95]) cases.push(c(`movi.n ${imm}`, `    movi.n a7, ${imm}`));
  cases.push(c('mov.n', `${set('a3', 0xdeadbeef)}\n    mov.n a9, a3`));
  for (const shift of [0, 1, 15, 16, 17, 31]) {
    for (const width of [1, 4, 8, 15, 16]) {
      if (shift + width > 32) continue;
      for (const x of [0xffffffff, 0x80000001, 0x12345678]) {
        cases.push(c(`extui ${hex(x)}, ${shift}, ${width}`, `${set('a3', x)}\n    extui a5, a3, ${shift}, ${width}`));
      }
    }
  }
  return cases;
}

function shiftCases(): Case[] {
  const cases: Case[] = [];
  const amounts = [0, 1, 7, 8, 15, 16, 31, 32];
  const values = [0x80000001, 0xffffffff, 0x12345678, 0x7fffffff];
  // SAR from each setter
  for (const x of [0, 1, 2, 3, 31, 32, 33, -1]) {
    for (const setter of ['ssr', 'ssl', 'ssa8l', 'ssa8b']) cases.push(c(`${setter} ${hex(x)}`, `${set('a3', x)}\n    ${setter} a3`));
  }
  for (const imm of [0, 1, 16, 31]) cases.push(c(`ssai ${imm}`, `    ssai ${imm}`));
  // register shifts for SAR values 0..63 (WSR SAR keeps 6 bits)
  for (const sar of [0, 1, 16, 31, 32, 33, 48, 63, 64]) {
    for (const x of values) {
      for (const name of ['src', 'srl', 'sll', 'sra']) {
        const operands = name === 'src' ? 'a5, a3, a4' : name === 'sll' ? 'a5, a3' : 'a5, a4';
        cases.push(
          c(
            `${name} sar=${sar} ${hex(x)}`,
            `${set('a2', sar)}\n    wsr a2, sar\n${set('a3', x)}\n${set('a4', ~x)}\n    _${name} ${operands}`,
          ),
        );
      }
    }
  }
  for (const x of values) {
    for (const amount of amounts) {
      if (amount >= 1 && amount <= 31) cases.push(c(`slli ${hex(x)}, ${amount}`, `${set('a3', x)}\n    _slli a5, a3, ${amount}`));
      if (amount <= 31) cases.push(c(`srai ${hex(x)}, ${amount}`, `${set('a3', x)}\n    _srai a5, a3, ${amount}`));
      if (amount <= 15) cases.push(c(`srli ${hex(x)}, ${amount}`, `${set('a3', x)}\n    _srli a5, a3, ${amount}`));
    }
  }
  return cases;
}

function memoryCases(): Case[] {
  const cases: Case[] = [];
  const loads = [
    ['l8ui', 1],
    ['l16ui', 2],
    ['l16si', 2],
    ['l32i', 4],
  ] as const;
  for (const [name, size] of loads) {
    for (const offset of [0, 1, 2, 3, 4, 6]) {
      for (const imm of [0, size * 2]) {
        cases.push(
          c(`${name} scratch+${offset}, ${imm}`, `    movi a3, scratch + ${offset}\n${set('a5', 0x5a5a5a5a)}\n    _${name} a5, a3, ${imm}`),
        );
      }
    }
  }
  for (const name of ['s8i', 's16i', 's32i']) {
    for (const offset of [0, 1, 2, 3, 4]) {
      for (const value of [0x80ff7f01, -1]) {
        cases.push(
          c(
            `${name} ${hex(value)} to scratch+16+${offset}`,
            `    movi a3, scratch + 16 + ${offset}\n${set('a4', value)}\n    _${name} a4, a3, 0\n    movi a6, scratch\n    l32i a7, a6, 16\n    l32i a8, a6, 20`,
          ),
        );
      }
    }
    cases.push(
      c(
        `${name} with offset`,
        `    movi a3, scratch\n${set('a4', 0x01020304)}\n    _${name} a4, a3, ${name === 's8i' ? 5 : name === 's16i' ? 6 : 8}`,
      ),
    );
  }
  for (const imm of [0, 4, 60]) {
    cases.push(c(`l32i.n +${imm}`, `    movi a3, scratch - ${imm}\n    l32i.n a5, a3, ${imm}`));
    cases.push(
      c(
        `s32i.n +${imm}`,
        `    movi a3, scratch + 16 - ${imm}\n${set('a4', 0xcafef00d + imm)}\n    s32i.n a4, a3, ${imm}\n    movi a6, scratch\n    l32i a7, a6, 16`,
      ),
    );
  }
  cases.push(c('l32i.n unaligned', `    movi a3, scratch + 2\n    l32i.n a5, a3, 0`));
  cases.push(c('s32i.n unaligned', `    movi a3, scratch + 1\n    s32i.n a5, a3, 0`));
  cases.push(c('l32r', `    j 1f\n    .align 4\n.Llit_a: .word 0x89abcdef\n1:  l32r a5, .Llit_a`));
  return cases;
}

function branchCases(): Case[] {
  const cases: Case[] = [];
  const values = [0, 1, -1, 0x80000000, 0x7fffffff, 2];
  const twoReg = ['beq', 'bne', 'blt', 'bge', 'bltu', 'bgeu', 'bany', 'bnone', 'ball', 'bnall', 'bbc', 'bbs'];
  const forward = (branch: string): string => `    ${branch}, 1f\n    movi a6, 0\n    j 2f\n1:  movi a6, 1\n2:`;
  const backward = (setup: string, branch: string): string =>
    `    j 3f\n1:  movi a6, 1\n    j 2f\n3:\n${setup}\n    ${branch}, 1b\n    movi a6, 0\n2:`;
  for (const name of twoReg) {
    for (const [x, y] of pairs(name.startsWith('bb') ? [0, -1, 0x80000000, 0x55555555] : values)) {
      const yValues = name.startsWith('bb') ? [0, 31, 32, 33] : [y];
      for (const yy of yValues) {
        const setup = `${set('a3', x)}\n${set('a4', yy)}`;
        cases.push(c(`${name} ${hex(x)}, ${hex(yy)} forward`, `${setup}\n${forward(`_${name} a3, a4`)}`));
      }
    }
    cases.push(c(`${name} backward`, backward(`${set('a3', 5)}\n${set('a4', 5)}`, `_${name} a3, a4`)));
    cases.push(c(`${name} backward other`, backward(`${set('a3', -1)}\n${set('a4', 1)}`, `_${name} a3, a4`)));
  }
  for (const name of ['beqz', 'bnez', 'bltz', 'bgez']) {
    for (const x of values) {
      cases.push(c(`${name} ${hex(x)} forward`, `${set('a3', x)}\n${forward(`_${name} a3`)}`));
      cases.push(c(`${name} ${hex(x)} backward`, backward(set('a3', x), `_${name} a3`)));
    }
  }
  for (const name of ['beqz.n', 'bnez.n']) {
    for (const x of values) cases.push(c(`${name} ${hex(x)}`, `${set('a3', x)}\n${forward(`${name} a3`)}`));
  }
  const b4const = [-1, 1, 2, 3, 4, 5, 6, 7, 8, 10, 12, 16, 32, 64, 128, 256];
  const b4constu = [32768, 65536, 2, 3, 4, 5, 6, 7, 8, 10, 12, 16, 32, 64, 128, 256];
  for (const name of ['beqi', 'bnei', 'blti', 'bgei']) {
    for (const k of b4const) {
      for (const x of [k, k - 1, k + 1, 0x80000000])
        cases.push(c(`${name} ${hex(x)}, ${k}`, `${set('a3', x)}\n${forward(`_${name} a3, ${k}`)}`));
    }
    cases.push(c(`${name} backward`, backward(set('a3', 4), `_${name} a3, 4`)));
  }
  for (const name of ['bltui', 'bgeui']) {
    for (const k of b4constu) {
      for (const x of [k, k - 1, -1]) cases.push(c(`${name} ${hex(x)}, ${k}`, `${set('a3', x)}\n${forward(`_${name} a3, ${k}`)}`));
    }
  }
  for (const name of ['bbci', 'bbsi']) {
    for (const bit of [0, 1, 15, 16, 17, 31]) {
      for (const x of [0, -1, 0x80000000, 0x00010001])
        cases.push(c(`${name} ${hex(x)}, ${bit}`, `${set('a3', x)}\n${forward(`_${name} a3, ${bit}`)}`));
    }
  }
  cases.push(c('j forward', `    _j 1f\n    movi a6, 0\n1:`));
  cases.push(c('j backward', `    j 3f\n1:  movi a6, 7\n    j 2f\n3:  _j 1b\n2:`));
  cases.push(c('call0 and ret', `    _call0 .Lsub_ret\n    mov a6, a0`));
  cases.push(c('call0 and ret.n', `    _call0 .Lsub_retn\n    mov a6, a0`));
  cases.push(c('callx0', `    movi a7, .Lsub_ret\n    callx0 a7\n    mov a6, a0`));
  cases.push(c('callx0 a0', `    movi a0, .Lsub_ret\n    callx0 a0\n    mov a6, a0`));
  cases.push(c('jx', `    movi a7, 1f\n    jx a7\n    movi a6, 0\n1:`));
  cases.push(
    c(
      'subroutines',
      `    j 1f\n    .align 4\n.Lsub_ret:\n    movi a8, 0x11\n    _ret\n    .align 4\n.Lsub_retn:\n    movi a8, 0x22\n    ret.n\n1:`,
    ),
  );
  return cases;
}

function systemCases(): Case[] {
  const cases: Case[] = [];
  const plain = [
    'sar',
    'litbase',
    'epc1',
    'epc2',
    'excsave2',
    'exccause',
    'excvaddr',
    'depc',
    'eps2',
    'intenable',
    'icountlevel',
    'dbreakc0',
    'dbreaka0',
    'ibreakenable',
    'ibreaka0',
    'ddr',
    'eps3',
    'epc3',
    'excsave3',
    'debugcause',
    'icount',
  ];
  for (const sr of plain) {
    for (const value of [0, -1, 0x80000001, 0x12345678]) {
      const v = sr === 'intenable' ? value & 0x3f3f : sr === 'icount' || sr === 'icountlevel' ? 0 : value;
      cases.push(
        c(
          `wsr/rsr ${sr} ${hex(v)}`,
          `${set('a3', v)}\n    wsr a3, ${sr}\n    rsr a5, ${sr}\n    movi a3, 0\n    wsr a3, ${sr === 'litbase' ? 'litbase' : sr}`,
        ),
      );
    }
    // XSR LITBASE would turn on literal-base mode under the harness's own L32Rs
    if (sr !== 'litbase')
      cases.push(
        c(
          `xsr ${sr}`,
          `${set('a3', 0x0f0f0f0f)}\n    wsr a3, ${sr}\n${set('a5', 0x11111110)}\n    xsr a5, ${sr}\n    rsr a6, ${sr}\n    movi a3, 0\n    wsr a3, ${sr}`,
        ),
      );
  }
  cases.push(c('rsr configid0', '    .byte 0x50, 176, 0x03'));
  cases.push(c('rsr configid1', '    .byte 0x50, 208, 0x03'));
  cases.push(c('rsr prid', '    rsr a5, prid'));
  cases.push(c('rsr vecbase', '    rsr a5, vecbase'));
  for (const level of [0, 1, 3, 15]) cases.push(c(`rsil ${level}`, `    rsil a5, ${level}\n    rsr a6, ps`));
  for (const value of [0, 0x10, 0x2f, 0xff, -1])
    cases.push(c(`wsr ps ${hex(value)}`, `${set('a3', value | 0x10)}\n    wsr a3, ps\n    rsr a5, ps\n    movi a3, 0x20\n    wsr a3, ps`));
  for (const name of ['isync', 'rsync', 'esync', 'dsync', 'excw', 'memw', 'extw', 'nop', 'nop.n']) {
    cases.push(c(name, `${set('a3', 77)}\n    _${name.replace('.n', '')}${name.endsWith('.n') ? '.n' : ''}`.replace('_nop.n', 'nop.n')));
  }
  for (const address of [0, 4, 0x100]) {
    cases.push(c(`rer ${address}`, `${set('a3', address)}\n${set('a5', 0x5a5a5a5a)}\n    .byte 0x50, 0x63, 0x40`));
    cases.push(c(`wer ${address}`, `${set('a3', address)}\n${set('a5', 0x5a5a5a5a)}\n    .byte 0x50, 0x73, 0x40`));
  }
  cases.push(
    c(
      'intset and intclear keep only their bits',
      '    movi a2, -1\n    wsr a2, intset\n    rsr a5, interrupt\n    wsr a2, intclear\n    rsr a6, interrupt',
    ),
  );
  cases.push(c('ill', '    ill'));
  cases.push(c('ill.n', '    ill.n'));
  cases.push(c('syscall', '    syscall'));
  cases.push(c('break 1, 2', '    break 1, 2'));
  cases.push(c('break.n 3', '    break.n 3'));
  cases.push(c('break at level 2 is ignored', '    rsil a2, 2\n    break 0, 0'));
  // encodings of options the lx106 lacks: MIN, SEXT, QUOU, L32AI, S32C1I, ENTRY, LOOP, RUR, op0 14/15, MULUH
  const reserved = [
    [0x53, 0x34, 0x43],
    [0x30, 0x34, 0x23],
    [0x40, 0x35, 0xc2],
    [0x32, 0xb3, 0x00],
    [0x32, 0xe3, 0x00],
    [0x36, 0x41, 0x00],
    [0x76, 0x83, 0x02],
    [0x30, 0xe7, 0xe3],
    [0x0e, 0x00, 0x00],
    [0x0f, 0x00, 0x00],
    [0x40, 0x35, 0xa2],
    [0x00, 0x10, 0x00],
    [0x00, 0x00, 0x70],
  ];
  for (const bytes of reserved) {
    cases.push(
      c(`undefined encoding ${bytes.map((b) => b.toString(16)).join(' ')}`, `    .byte ${bytes.join(', ')}\n    .byte 0x3d, 0xf0`),
    );
  }
  // unknown special registers
  for (const sr of [0, 1, 2, 4, 16, 17, 72, 73, 97, 99, 105, 161, 180, 193, 196, 212, 224, 225, 229, 233, 239, 241, 242, 243]) {
    cases.push(c(`rsr ${sr}`, `    .byte 0x50, ${sr}, 0x03`));
    cases.push(c(`wsr ${sr}`, `    movi a5, 1\n    .byte 0x50, ${sr}, 0x13`));
  }
  cases.push(c('fault in kernel mode', '    movi a2, 0\n    wsr a2, ps\n    rsync\n    ill'));
  cases.push(c('double exception', '    movi a2, 0x10\n    wsr a2, ps\n    rsync\n    movi a3, 1\n    l32i a4, a3, 0'));
  cases.push(
    c(
      'software interrupt masked',
      '    rsil a2, 1\n    movi a2, 0x80\n    wsr a2, intenable\n    wsr a2, intset\n    rsr a6, interrupt\n    wsr a2, intclear\n    rsr a7, interrupt\n    movi a2, 0\n    wsr a2, intenable',
    ),
  );
  cases.push(
    c(
      'l32r with litbase',
      '    movi a2, scratch + 0x1001\n    wsr a2, litbase\n    isync\n    .byte 0x51, 0xff, 0xff\n    movi a2, 0\n    wsr a2, litbase\n    isync',
    ),
  );
  cases.push(c('rfe path via syscall epc', '    movi a7, 1\n    syscall\n    movi a7, 2'));
  // Last: the interrupt's handler writes a record of its own before the step's dump.
  cases.push(
    c(
      'software interrupt',
      `    movi a2, 1f\n    movi a3, resume\n    s32i a2, a3, 0\n    movi a2, 0x80\n    wsr a2, intenable\n    wsr a2, intset\n    movi a6, 1\n1:  movi a2, 0\n    wsr a2, intenable\n    movi a2, 0x80\n    wsr a2, intclear`,
    ),
  );
  return cases;
}

export const INSTRUCTION_CLASSES: ReadonlyArray<{ name: string; cases: () => Case[] }> = [
  { name: 'alu', cases: aluCases },
  { name: 'shifts', cases: shiftCases },
  { name: 'memory', cases: memoryCases },
  { name: 'branches', cases: branchCases },
  { name: 'system', cases: systemCases },
];
