// Fast-forward of CCOUNT busy-waits: the same end state as running every iteration
// (registers, CCOUNT, cycles, instruction count), in a small fraction of the instructions run.
import assert from 'assert';
import { readFileSync } from 'fs';

import { Cpu } from '../../../../src/sim/cpu/cpu';
import { loadElf } from '../../../support/sim/elf-loader';
import { Semihosting } from '../../../support/sim/semihosting';
import { armTimerAt, ccountPolling, computeLoop, userModeProgram } from './workloads';
import { suiteProgramBuilder } from './xtensa-programs';

function runTwice(elf: string): Array<{ cpu: Cpu; executedHere: number }> {
  return [true, false].map((skipBusyWaits) => {
    const semihosting = new Semihosting();
    const cpu = new Cpu({ simcall: semihosting.handle, skipBusyWaits });
    loadElf(cpu, readFileSync(elf));
    const executedHere = cpu.run(1e10);
    assert.strictEqual(semihosting.exitCode, 0, cpu.stopped?.message);
    return { cpu, executedHere };
  });
}

describe('lx106 CPU: busy-wait fast-forward', function () {
  this.timeout(60000);
  const builder = suiteProgramBuilder('busy');

  it('skips CCOUNT delays and ends exactly where running them ends', async () => {
    const elf = await builder.assemble(ccountPolling(20, 52_000));
    const [fast, slow] = runTwice(elf);
    assert.deepStrictEqual(fast.cpu.snapshot(), slow.cpu.snapshot());
    assert.strictEqual(fast.cpu.cycles, slow.cpu.cycles);
    assert.strictEqual(fast.cpu.ccount, slow.cpu.ccount);
    assert.strictEqual(fast.cpu.instructions, slow.cpu.instructions);
    assert.ok(slow.cpu.cycles >= 20 * 52_000);
    assert.ok(fast.cpu.busyWaits!.skipped > 0.9 * (slow.cpu.instructions / 3), `skipped ${fast.cpu.busyWaits!.skipped} iterations`);
  });

  it('leaves loops that are not busy-waits alone', async () => {
    const elf = await builder.assemble(computeLoop(5000));
    const [fast, slow] = runTwice(elf);
    assert.deepStrictEqual(fast.cpu.snapshot(), slow.cpu.snapshot());
    assert.strictEqual(fast.cpu.cycles, slow.cpu.cycles);
    assert.strictEqual(fast.cpu.busyWaits!.skipped, 0);
  });

  it('stops a skip at the CCOMPARE0 match, so the timer interrupt comes when it would', async () => {
    // a 1 ms delay with CCOMPARE0 half-way through: the level-1 timer interrupt must fire
    // (no handler: the CPU stops at the vector) at the same cycle either way
    const elf = await builder.assemble(
      userModeProgram(`
${armTimerAt(26000)}
    movi a5, 52000
    rsr a3, ccount
1:  rsr a2, ccount
    sub a2, a2, a3
    bltu a2, a5, 1b
    movi a2, 1
    simcall`),
    );
    const results = [true, false].map((skipBusyWaits) => {
      const cpu = new Cpu({ simcall: new Semihosting().handle, skipBusyWaits });
      loadElf(cpu, readFileSync(elf));
      cpu.run(1e7);
      return cpu;
    });
    for (const cpu of results) assert.match(cpu.stopped?.message ?? '', /unhandled user exception/);
    assert.strictEqual(results[0].stopped!.cause, 4);
    assert.deepStrictEqual(results[0].stopped, results[1].stopped);
    assert.strictEqual(results[0].cycles, results[1].cycles);
    assert.ok(results[0].busyWaits!.skipped > 0);
  });
});
