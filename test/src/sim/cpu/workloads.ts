// Programs that exercise the CPU for the benchmark and the fast-forward test: a compute-bound
// loop, a word-by-word memcpy, and delays that poll CCOUNT. Each exits through semihosting.

/** A program that starts in user mode (PS = 0x20, as the ROM leaves it) with VECBASE at reset, then runs `body`. */
export const userModeProgram = (body: string, data = ''): string => `
    .text
    .global _start
    .align 4
_start:
    movi a2, 0x20
    wsr a2, ps
    rsync
${body}
    .data
    .align 4
${data}
`;

/** Assembly that arms the CCOMPARE0 timer interrupt (int 6) for cycle `cycle`. */
export const armTimerAt = (cycle: number): string => `
    movi a2, ${cycle}
    wsr a2, ccompare0
    movi a2, 0x40
    wsr a2, intenable`;

const exit = `
    movi a2, 1
    movi a3, 0
    simcall
9:  j 9b`;

/** xorshift32 over `iterations` rounds, summing the states in a4. */
export const computeLoop = (iterations: number): string => `
    .text
    .global _start
    .align 4
_start:
    movi a2, 0x12345678
    movi a3, ${iterations}
    movi a4, 0
1:  slli a5, a2, 13
    xor a2, a2, a5
    extui a5, a2, 17, 15
    xor a2, a2, a5
    slli a5, a2, 5
    xor a2, a2, a5
    add a4, a4, a2
    addi a3, a3, -1
    bnez a3, 1b
${exit}
`;

/** Copies 16 KiB in DRAM `rounds` times, four words per iteration as gcc unrolls memcpy. */
export const memcpyLoop = (rounds: number): string => `
    .text
    .global _start
    .align 4
_start:
    movi a6, ${rounds}
2:  movi a2, source
    movi a3, target
    movi a4, 1024
1:  l32i a7, a2, 0
    l32i a8, a2, 4
    l32i a9, a2, 8
    l32i a10, a2, 12
    s32i a7, a3, 0
    s32i a8, a3, 4
    s32i a9, a3, 8
    s32i a10, a3, 12
    addi a2, a2, 16
    addi a3, a3, 16
    addi a4, a4, -1
    bnez a4, 1b
    addi a6, a6, -1
    bnez a6, 2b
${exit}
    .data
    .align 4
source: .fill 4096, 4, 0x01020304
target: .space 16384
`;

/** `count` delays of `cycles` each, as firmware waits: read CCOUNT, spin until that much elapsed. */
export const ccountPolling = (count: number, cycles: number): string => `
    .text
    .global _start
    .align 4
_start:
    movi a6, ${count}
    movi a5, ${cycles}
2:  rsr a3, ccount
1:  rsr a2, ccount
    sub a2, a2, a3
    bltu a2, a5, 1b
    addi a6, a6, -1
    bnez a6, 2b
    rsr a7, ccount
${exit}
`;
