// The assembly frame every differential program shares: exception vectors at VECBASE that
// record the fault and resume at the next case, and a routine that writes the whole register
// state through semihosting. A case is a snippet of code followed by a dump; a program is
// many cases, so one QEMU run checks hundreds of them.

/** Words in one dump record: a0..a15, SAR, PS, EXCCAUSE, EPC1, EXCVADDR, DEPC, EPC2, EPS2, call site, kind, 4 scratch words. */
export const RECORD_FIELDS = [
  ...Array.from({ length: 16 }, (_, i) => `a${i}`),
  'sar',
  'ps',
  'exccause',
  'epc1',
  'excvaddr',
  'depc',
  'epc2',
  'eps2',
  'site',
  'kind',
  'scratch0',
  'scratch1',
  'scratch2',
  'scratch3',
];
export const RECORD_BYTES = RECORD_FIELDS.length * 4;

export const KIND = { STEP: 0, USER: 1, KERNEL: 2, DOUBLE: 3, DEBUG: 4 } as const;

const vector = (offset: number, save: string, handler: string): string => `    .org ${offset}\n    wsr a15, ${save}\n    j ${handler}\n`;

const handler = (name: string, kind: number, ret: string, epc: string, fromSave?: string): string => `
${name}:
${fromSave ? `    rsr a15, ${fromSave}\n    wsr a15, excsave1\n` : ''}    movi a15, record
    s32i a0, a15, 0
    movi a0, ${kind}
    s32i a0, a15, 100
    call0 dump
    movi a2, 0
    wsr a2, intenable
    movi a2, resume
    l32i a2, a2, 0
    wsr a2, ${epc}
    ${ret}
`;

/** Record layout offsets must match RECORD_FIELDS. */
export function program(cases: string[]): string {
  return `
    .section .vectors, "ax"
    .global _vectors
_vectors:
${vector(0x10, 'excsave2', 'on_debug')}${vector(0x30, 'excsave1', 'on_kernel')}${vector(0x50, 'excsave1', 'on_user')}${vector(0x70, 'excsave1', 'on_double')}
    .text
    .global _start
    .align 4
_start:
    movi a2, _vectors
    wsr a2, vecbase
    movi a2, 0x20
    wsr a2, ps
    rsync
    j cases
${handler('on_user', KIND.USER, 'rfe', 'epc1')}
${handler('on_kernel', KIND.KERNEL, 'rfe', 'epc1')}
${handler('on_double', KIND.DOUBLE, 'rfde', 'depc')}
${handler('on_debug', KIND.DEBUG, 'rfi 2', 'epc2', 'excsave2')}
    .align 4
dump:
${Array.from({ length: 14 }, (_, i) => `    s32i a${i + 1}, a15, ${(i + 1) * 4}`).join('\n')}
    rsr a14, excsave1
    s32i a14, a15, 60
${['sar', 'ps', 'exccause', 'epc1', 'excvaddr', 'depc', 'epc2', 'eps2'].map((sr, i) => `    rsr a14, ${sr}\n    s32i a14, a15, ${64 + i * 4}`).join('\n')}
    s32i a0, a15, 96
    movi a13, scratch
${[0, 1, 2, 3].map((i) => `    l32i a14, a13, ${i * 4}\n    s32i a14, a15, ${104 + i * 4}`).join('\n')}
    movi a2, 4
    movi a3, 1
    mov a4, a15
    movi a5, ${RECORD_BYTES}
    simcall
    ret

cases:
${cases.join('\n')}
    movi a2, 1
    movi a3, 0
    simcall
1:  j 1b

    .data
    .align 4
record: .space ${RECORD_BYTES}
resume: .word 0
    .align 8
scratch: .word 0x80ff7f01, 0x12345678, 0xfedcba98, 0x00000000
    .word 0, 0, 0, 0
`;
}

let labels = 0;

/** One case: `body` runs with PS = 0x20, then the state is dumped; a fault resumes after it. */
export function step(body: string): string {
  const next = `.Lnext${labels++}`;
  return `
    movi a2, 0x20
    wsr a2, ps
    rsync
    movi a2, ${next}
    movi a3, resume
    s32i a2, a3, 0
${body}
    wsr a15, excsave1
    movi a15, record
    s32i a0, a15, 0
    movi a0, ${KIND.STEP}
    s32i a0, a15, 100
    call0 dump
${next}:`;
}

/** The first record that differs, named by its case and the fields that differ. */
export function firstDifference(cases: ReadonlyArray<{ description: string }>, qemu: Buffer, ours: Buffer): string | undefined {
  const records = Math.max(qemu.length, ours.length) / RECORD_BYTES;
  for (let r = 0; r < records; r++) {
    const a = qemu.subarray(r * RECORD_BYTES, (r + 1) * RECORD_BYTES);
    const b = ours.subarray(r * RECORD_BYTES, (r + 1) * RECORD_BYTES);
    if (a.equals(b)) continue;
    const fields = RECORD_FIELDS.map((name, i) => {
      const x = a.length >= (i + 1) * 4 ? a.readUInt32LE(i * 4) : undefined;
      const y = b.length >= (i + 1) * 4 ? b.readUInt32LE(i * 4) : undefined;
      return x === y ? '' : `${name}: qemu ${x?.toString(16)} ours ${y?.toString(16)}`;
    }).filter(Boolean);
    return `case ${r} "${cases[r]?.description ?? '(beyond the cases)'}": ${fields.join(', ')}`;
  }
  return undefined;
}
