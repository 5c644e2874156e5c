// CCOUNT advances by the documented cycle model (cycle-model.ts): the difference between two
// RSR CCOUNT around a sequence is its cost. QEMU cannot check this (its CCOUNT follows the host
// clock), so each cost is asserted on its own.
import assert from 'assert';
import { readFileSync } from 'fs';

import { Cpu } from '../../../../src/sim/cpu/cpu';
import { CYCLES } from '../../../../src/sim/cpu/cycle-model';
import { loadElf } from '../../../support/sim/elf-loader';
import { Semihosting } from '../../../support/sim/semihosting';
import { userModeProgram } from './workloads';
import { suiteProgramBuilder } from './xtensa-programs';

describe('lx106 CPU: the cycle model', function () {
  this.timeout(60000);
  const builder = suiteProgramBuilder('cycles');

  /** Cycles from the first RSR CCOUNT to the second, minus the first RSR itself. */
  async function costOf(sequence: string): Promise<number> {
    const elf = await builder.assemble(
      userModeProgram(
        `
    movi a9, word
    rsr a10, ccount
${sequence}
    rsr a11, ccount
    movi a2, 1
    movi a3, 0
    simcall`,
        'word: .word 7',
      ),
    );
    const semihosting = new Semihosting();
    const cpu = new Cpu({ simcall: semihosting.handle });
    loadElf(cpu, readFileSync(elf));
    cpu.run(1e6);
    assert.strictEqual(semihosting.exitCode, 0, cpu.stopped?.message);
    return ((cpu.ar[11] - cpu.ar[10]) >>> 0) - CYCLES.DEFAULT;
  }

  it('charges one cycle per ALU instruction', async () => {
    assert.strictEqual(await costOf('    add a2, a3, a4\n    xor a5, a2, a3\n    slli a6, a5, 3'), 3);
  });

  it('charges the fetch refill for a taken branch and nothing more for one not taken', async () => {
    const notTaken = await costOf('    movi a2, 1\n    beqz a2, 1f\n1:  nop');
    const taken = await costOf('    movi a2, 0\n    beqz a2, 1f\n1:  nop');
    assert.strictEqual(notTaken, 3);
    assert.strictEqual(taken, 3 + CYCLES.TAKEN_BRANCH_PENALTY);
  });

  it('stalls a cycle when the next instruction uses a loaded register', async () => {
    const apart = await costOf('    l32i a2, a9, 0\n    nop\n    add a3, a2, a2');
    const adjacent = await costOf('    l32i a2, a9, 0\n    add a3, a2, a2\n    nop');
    assert.strictEqual(apart, 3);
    assert.strictEqual(adjacent, 3 + CYCLES.LOAD_USE_STALL);
  });

  it('takes two cycles for MULL', async () => {
    assert.strictEqual(await costOf('    mull a2, a3, a4'), CYCLES.MULL);
  });

  it('makes CCOUNT wrap at 32 bits and counts from a written value', async () => {
    const cpu = new Cpu();
    cpu.writeSpecial(234, 0xfffffffe);
    cpu.cycles += 5;
    assert.strictEqual(cpu.ccount, 3);
  });
});
