// Random instruction sequences (seeded, so a failure reproduces) run under QEMU's lx106 core
// and under our CPU must end with the same registers, SAR and scratch memory.
import assert from 'assert';

import { firstDifference, program, RECORD_BYTES } from './dump-harness';
import { randomPrograms } from './random-programs';
import { ProgramBuilder, runUnderCpu, runUnderQemu } from './xtensa-programs';

export const FUZZ_SEED = 0x1a106;
const PROGRAMS = 300;
const PER_ELF = 100;

describe('lx106 CPU: random instruction sequences against QEMU', function () {
  this.timeout(180000);
  let builder: ProgramBuilder;

  before(() => {
    builder = new ProgramBuilder();
  });
  after(() => builder?.remove());

  it(`${PROGRAMS} seeded programs end in identical state`, async () => {
    const cases = randomPrograms(FUZZ_SEED, PROGRAMS);
    for (let start = 0; start < cases.length; start += PER_ELF) {
      const chunk = cases.slice(start, start + PER_ELF);
      const elf = await builder.assemble(`fuzz-${start}`, program(chunk.map((c) => c.text)));
      const [qemu, ours] = [await runUnderQemu(elf), runUnderCpu(elf)];
      assert.strictEqual(qemu.output.length, chunk.length * RECORD_BYTES, 'one record per program: none faulted');
      const difference = firstDifference(chunk, qemu.output, ours.output);
      assert.strictEqual(difference, undefined, difference);
    }
  });
});
