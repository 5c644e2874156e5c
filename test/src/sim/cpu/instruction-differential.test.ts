// Every instruction class of the lx106, run under QEMU's lx106 core and under our CPU from the
// same ELF, must write byte-identical register dumps after every case.
import assert from 'assert';

import { firstDifference, program, RECORD_BYTES } from './dump-harness';
import { INSTRUCTION_CLASSES } from './instruction-cases';
import { ProgramBuilder, runUnderCpu, runUnderQemu } from './xtensa-programs';

/** IRAM holds 64 KiB; a few hundred cases fit comfortably in one program. */
const CASES_PER_PROGRAM = 400;

describe('lx106 CPU: each instruction class against QEMU', function () {
  this.timeout(180000);
  let builder: ProgramBuilder;

  before(() => {
    builder = new ProgramBuilder();
  });

  after(() => builder?.remove());

  for (const instructionClass of INSTRUCTION_CLASSES) {
    it(`${instructionClass.name}: identical register dumps after every case`, async () => {
      const cases = instructionClass.cases();
      let total = 0;
      for (let start = 0; start < cases.length; start += CASES_PER_PROGRAM) {
        const chunk = cases.slice(start, start + CASES_PER_PROGRAM);
        const elf = await builder.assemble(`${instructionClass.name}-${start}`, program(chunk.map((c) => c.text)));
        const qemu = await runUnderQemu(elf);
        const ours = runUnderCpu(elf);
        assert.ok(qemu.output.length >= chunk.length * RECORD_BYTES, 'QEMU wrote a record for every case');
        const difference = firstDifference(chunk, qemu.output, ours.output);
        assert.strictEqual(difference, undefined, difference);
        assert.strictEqual(ours.status, qemu.status);
        total += chunk.length;
      }
      assert.ok(total > 20, `${instructionClass.name} has ${total} cases`);
    });
  }
});
