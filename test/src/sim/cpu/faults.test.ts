// Faults as the ESP8266 raises them (where QEMU's generic core differs, so no differential
// test can cover them): narrow access to IRAM, unmapped addresses, fetch from nowhere, and the
// report the CPU stops with when the vector is in the mask ROM and nothing handles it.
import assert from 'assert';
import { readFileSync } from 'fs';

import { Cpu } from '../../../../src/sim/cpu/cpu';
import { overlappingDescriptors } from '../../../../src/sim/cpu/decoder';
import { loadElf } from '../../../support/sim/elf-loader';
import { Cause, formatFault } from '../../../../src/sim/cpu/exceptions';
import { userModeProgram } from './workloads';
import { suiteProgramBuilder } from './xtensa-programs';

/** Faults go to the ROM's vectors: VECBASE stays at reset. */
const source = (body: string): string => userModeProgram(`${body}\n1:  j 1b`, 'word: .word 0x11223344');

describe('lx106 CPU: ESP8266 faults and reports', function () {
  this.timeout(60000);
  const builder = suiteProgramBuilder('fault');

  async function runProgram(body: string): Promise<Cpu> {
    const elf = await builder.assemble(source(body));
    const cpu = new Cpu();
    loadElf(cpu, readFileSync(elf));
    cpu.run(1_000_000);
    return cpu;
  }

  const expectFault = (cpu: Cpu, cause: number, address?: number): void => {
    assert.ok(cpu.stopped, 'the CPU stopped');
    assert.strictEqual(cpu.stopped.cause, cause, formatFault(cpu.stopped));
    if (address !== undefined) assert.strictEqual(cpu.stopped.excvaddr, address >>> 0, formatFault(cpu.stopped));
    assert.match(cpu.stopped.message, /^unhandled user exception at 0x[0-9a-f]{8}: no handler is installed$/);
    assert.strictEqual(cpu.stopped.pc, 0x40000050, 'stopped at the user vector');
  };

  it('has no two instructions claiming one encoding', () => {
    assert.deepStrictEqual(overlappingDescriptors(), []);
  });

  it('faults a byte load from IRAM with LoadStoreError, leaving the target register', async () => {
    const cpu = await runProgram('    movi a3, _start\n    movi a4, 7\n    l8ui a4, a3, 1');
    expectFault(cpu, Cause.LOAD_STORE_ERROR, cpu.stopped!.registers[3] + 1);
    assert.strictEqual(cpu.stopped!.registers[4], 7);
  });

  it('faults a 16-bit store to IRAM with LoadStoreError', async () => {
    const cpu = await runProgram('    movi a3, _start\n    s16i a3, a3, 2');
    expectFault(cpu, Cause.LOAD_STORE_ERROR, cpu.stopped!.registers[3] + 2);
  });

  it('allows an aligned 32-bit load from IRAM', async () => {
    const cpu = await runProgram('    movi a3, _start\n    l32i a4, a3, 0\n    ill');
    expectFault(cpu, Cause.ILLEGAL_INSTRUCTION);
    assert.notStrictEqual(cpu.stopped!.registers[4], 0);
  });

  it('faults an unaligned load with LoadStoreAlignment', async () => {
    const cpu = await runProgram('    movi a3, word\n    addi a3, a3, 2\n    l32i a4, a3, 0');
    expectFault(cpu, Cause.LOAD_STORE_ALIGNMENT);
  });

  it('faults a load from unmapped memory with LoadProhibited and a store with StoreProhibited', async () => {
    expectFault(await runProgram('    movi a3, 0\n    l32i a4, a3, 0'), Cause.LOAD_PROHIBITED, 0);
    expectFault(await runProgram('    movi a3, 0x50000000\n    s32i a3, a3, 0'), Cause.STORE_PROHIBITED, 0x50000000);
  });

  it('faults a jump to unmapped memory with InstFetchProhibited', async () => {
    const cpu = await runProgram('    movi a3, 0x20000000\n    jx a3');
    expectFault(cpu, Cause.INSTRUCTION_FETCH_PROHIBITED);
    assert.strictEqual(cpu.stopped!.epc1, 0x20000000);
  });

  it('reports an illegal instruction with its address, EPC1 and the registers', async () => {
    const cpu = await runProgram('    movi a5, 0x5555\n    ill');
    expectFault(cpu, Cause.ILLEGAL_INSTRUCTION);
    assert.strictEqual(cpu.stopped!.registers[5], 0x5555);
    assert.match(formatFault(cpu.stopped!), /cause 0 \(IllegalInstruction\), EPC1 0x401000.., .*a5=0x00005555/);
  });

  it('goes to the kernel vector in kernel mode and the double vector with EXCM set', async () => {
    const kernel = await runProgram('    movi a2, 0\n    wsr a2, ps\n    rsync\n    ill');
    assert.match(kernel.stopped!.message, /unhandled kernel exception/);
    const double = await runProgram('    movi a2, 0x10\n    wsr a2, ps\n    rsync\n    ill');
    assert.match(double.stopped!.message, /unhandled double exception/);
  });

  it('reports a call to a ROM address it does not emulate, naming the address', async () => {
    const cpu = await runProgram('    movi a3, 0x40001234\n    callx0 a3');
    assert.strictEqual(cpu.stopped?.message, 'call to ROM address 0x40001234, which the virtual board does not emulate');
  });

  it('stops on a read of the mask ROM, whose contents are not modelled', async () => {
    const cpu = await runProgram('    movi a3, 0x40000100\n    l32i a3, a3, 0');
    assert.match(cpu.stopped!.message, /read the mask ROM at 0x40000100/);
  });

  it('treats SIMCALL as an illegal instruction when no semihosting is attached, as on silicon', async () => {
    expectFault(await runProgram('    simcall'), Cause.ILLEGAL_INSTRUCTION);
  });

  it('forgets a decoded instruction when the program overwrites it in IRAM', async () => {
    const cpu = await runProgram(`    j 2f
    .align 4
target:
    movi.n a6, 1
    ret.n
    .align 4
template:
    movi.n a6, 2
    ret.n
    .align 4
2:  call0 target
    mov a8, a6
    movi a3, target
    movi a4, template
    l32i a4, a4, 0
    s32i a4, a3, 0
    call0 target
    ill`);
    assert.strictEqual(cpu.stopped!.registers[8], 1, 'the first call ran the original code');
    assert.strictEqual(cpu.stopped!.registers[6], 2, 'the second call ran the patched code');
  });
});
