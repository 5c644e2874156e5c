/**
 * The virtual ESP8266's LX106 CPU: instructions per second on a compute-bound loop, a
 * word-by-word memcpy and CCOUNT delay loops (with and without busy-wait fast-forward), the
 * shipped firmware from ROM boot, and a longer run of the random-program differential fuzz
 * against QEMU than the test suite makes. Target: 50 M instructions/s on one core, so a
 * 52 MHz ESP8266 runs at least in real time.
 */
import { readFileSync } from 'fs';
import path from 'path';
import { performance } from 'perf_hooks';

import { Cpu } from '../src/sim/cpu/cpu';
import { loadElf } from '../test/support/sim/elf-loader';
import { LoggingUart, UART_SIZE } from '../test/support/sim/logging-uart';
import { UART0_BASE } from '../src/sim/cpu/memory-map';
import { BOOT_CPU_HZ, bootFromFlash } from '../src/sim/rom/rom-boot';
import { Semihosting } from '../test/support/sim/semihosting';
import { NorFlash } from '../src/sim/board/nor-flash';
import { firstDifference, program } from '../test/src/sim/cpu/dump-harness';
import { randomPrograms } from '../test/src/sim/cpu/random-programs';
import { ccountPolling, computeLoop, memcpyLoop } from '../test/src/sim/cpu/workloads';
import { ProgramBuilder, runUnderCpu, runUnderQemu } from '../test/src/sim/cpu/xtensa-programs';
import { BenchTable } from './table';

const FUZZ_PROGRAMS = 3000;
const FUZZ_SEED = 0x5eed;
const PER_ELF = 100;

interface Measured {
  instructions: number;
  cycles: number;
  seconds: number;
}

function measure(elf: string, skipBusyWaits: boolean): Measured {
  const semihosting = new Semihosting();
  const cpu = new Cpu({ simcall: semihosting.handle, skipBusyWaits });
  loadElf(cpu, readFileSync(elf));
  const started = performance.now();
  cpu.run(1e12);
  const seconds = (performance.now() - started) / 1000;
  if (semihosting.exitCode !== 0) throw new Error(`benchmark program did not exit cleanly: ${cpu.stopped?.message}`);
  return { instructions: cpu.instructions, cycles: cpu.cycles, seconds };
}

/** The best of three runs: the machine is shared, the fastest run is the least disturbed. */
function best(elf: string, skipBusyWaits: boolean): Measured {
  const runs = [0, 1, 2].map(() => measure(elf, skipBusyWaits));
  return runs.reduce((a, b) => (a.seconds <= b.seconds ? a : b));
}

const millions = (n: number): string => (n / 1e6).toFixed(1);

function row(name: string, m: Measured): Array<string | number> {
  return [
    name,
    millions(m.instructions),
    m.seconds.toFixed(3),
    millions(m.instructions / m.seconds),
    (m.cycles / BOOT_CPU_HZ / m.seconds).toFixed(1),
  ];
}

function firmwareRow(): Array<string | number> {
  const flash = new NorFlash(1024 * 1024);
  flash.program(0, readFileSync(path.join(__dirname, '..', '..', 'firmware', 'bridge.bin')));
  const cpu = new Cpu();
  cpu.bus.map({ base: UART0_BASE, size: UART_SIZE, device: new LoggingUart() });
  bootFromFlash(cpu, flash);
  const started = performance.now();
  cpu.run(BOOT_CPU_HZ * 2);
  const seconds = (performance.now() - started) / 1000;
  return row('firmware/bridge.bin, 2 s from boot (idle poll loop)', { instructions: cpu.instructions, cycles: cpu.cycles, seconds });
}

async function fuzzRow(builder: ProgramBuilder): Promise<Array<string | number>> {
  const cases = randomPrograms(FUZZ_SEED, FUZZ_PROGRAMS);
  let differences = 0;
  let first = '';
  const started = performance.now();
  for (let start = 0; start < cases.length; start += PER_ELF) {
    const chunk = cases.slice(start, start + PER_ELF);
    const elf = await builder.assemble(`bench-fuzz-${start}`, program(chunk.map((c) => c.text)));
    const difference = firstDifference(chunk, (await runUnderQemu(elf)).output, runUnderCpu(elf).output);
    if (difference) {
      differences++;
      first ||= difference;
    }
  }
  return [FUZZ_PROGRAMS, `0x${FUZZ_SEED.toString(16)}`, differences, ((performance.now() - started) / 1000).toFixed(1), first || '-'];
}

export async function cpuBench(): Promise<BenchTable[]> {
  const builder = new ProgramBuilder();
  try {
    const compute = await builder.assemble('compute', computeLoop(5_000_000));
    const memcpy = await builder.assemble('memcpy', memcpyLoop(2000));
    const polling = await builder.assemble('polling', ccountPolling(500, 52_000));
    const speed: BenchTable = {
      title: 'LX106 CPU: instructions per second (one core)',
      columns: ['workload', 'M instructions', 'seconds', 'M instr/s', '× real time at 52 MHz'],
      rows: [
        row('compute loop (xorshift, 9 instr/iteration)', best(compute, true)),
        row('memcpy 16 KiB × 2000, 4 words per iteration', best(memcpy, true)),
        row('CCOUNT polling: 500 × 1 ms delays, every iteration run', best(polling, false)),
        row('CCOUNT polling: 500 × 1 ms delays, busy-waits fast-forwarded', best(polling, true)),
        firmwareRow(),
      ],
      note:
        'Best of three runs; the machine is shared, so figures vary from run to run. ' +
        '"× real time" is virtual time (cycles / 52 MHz) over host time. The instruction count of a fast-forwarded ' +
        'run includes the skipped iterations, so its rate says how fast virtual time passes, not how fast instructions run.',
    };
    const fuzz: BenchTable = {
      title: 'LX106 CPU: random-program differential fuzz against QEMU',
      columns: ['programs', 'seed', 'programs with a difference', 'seconds', 'first difference'],
      rows: [await fuzzRow(builder)],
      note: 'The test suite runs 300 programs from another seed; any difference found here belongs in a test.',
    };
    return [speed, fuzz];
  } finally {
    builder.remove();
  }
}
