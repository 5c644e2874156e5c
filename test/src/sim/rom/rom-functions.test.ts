// ROM functions emulated by address, called as firmware calls them (callx0 with arguments in
// a2..a7), WAITI, which sleeps until the timer interrupt, and the flash functions.
import assert from 'assert';
import { readFileSync } from 'fs';

import { Cpu } from '../../../../src/sim/cpu/cpu';
import { loadElf } from '../../../support/sim/elf-loader';
import { LoggingUart, UART_SIZE } from '../../../support/sim/logging-uart';
import { ROM_TICKS_PER_US, UART0_BASE } from '../../../../src/sim/cpu/memory-map';
import { formatRom, installRomFunctions } from '../../../../src/sim/rom/rom-functions';
import { NorFlash } from '../../../../src/sim/board/nor-flash';
import { armTimerAt, userModeProgram } from '../cpu/workloads';
import { suiteProgramBuilder } from '../cpu/xtensa-programs';

describe('lx106 CPU: emulated ROM functions', function () {
  this.timeout(60000);
  const builder = suiteProgramBuilder('rom');

  async function run(body: string, data = ''): Promise<{ cpu: Cpu; uart: LoggingUart }> {
    const elf = await builder.assemble(userModeProgram(`${body}\n    ill`, data));
    const cpu = new Cpu();
    const uart = new LoggingUart();
    cpu.bus.map({ base: UART0_BASE, size: UART_SIZE, device: uart });
    installRomFunctions(cpu);
    cpu.bus.store32(ROM_TICKS_PER_US, 80);
    loadElf(cpu, readFileSync(elf));
    cpu.run(1e9);
    assert.match(cpu.stopped?.message ?? '', /unhandled user exception/, 'the program ran to its final ill');
    return { cpu, uart };
  }

  it('ets_printf formats its arguments, from registers then the stack, onto UART0', async () => {
    const { cpu, uart } = await run(
      `
    movi a1, stack_top - 16
    movi a2, format
    movi a3, -42
    movi a4, 0xbeef
    movi a5, name
    movi a6, 65
    movi a7, 7
    movi a8, 4096
    s32i a8, a1, 0
    movi a8, ets_printf
    callx0 a8`,
      `format: .asciz "d=%d x=%04x s=%s c=%c u=%u %08X %%"
name: .asciz "lx106"
    .align 4
    .space 64
stack_top:
    .equ ets_printf, 0x400024cc`,
    );
    assert.strictEqual(uart.text(), 'd=-42 x=beef s=lx106 c=A u=7 00001000 %');
    assert.strictEqual(cpu.stopped!.registers[2], uart.text().length);
  });

  it('ets_delay_us spends microseconds × the ticks per µs set by ets_update_cpu_frequency', async () => {
    const { cpu } = await run(`
    movi a2, 52
    movi a8, 0x40002f04
    callx0 a8
    rsr a12, ccount
    movi a2, 1000
    movi a8, 0x40002ecc
    callx0 a8
    rsr a13, ccount
    movi a8, 0x40002f0c
    callx0 a8`);
    const [start, end, mhz] = [cpu.stopped!.registers[12], cpu.stopped!.registers[13], cpu.stopped!.registers[2]];
    assert.strictEqual(mhz, 52);
    const spent = end - start;
    assert.ok(spent >= 52_000 && spent < 52_000 + 20, `spent ${spent} cycles`);
  });

  it('formats like the ROM printf for widths and flags', () => {
    const args = [5, -1, 0x2a];
    const next = (): number => args.shift() ?? 0;
    assert.strictEqual(
      formatRom('[%3d|%-4u|%02X]', next, () => ''),
      `[  5|${0xffffffff}|2A]`,
    );
  });

  it('WAITI sleeps until the CCOMPARE0 match raises the timer interrupt', async () => {
    const elf = await builder.assemble(
      userModeProgram(`
${armTimerAt(1000000)}
    waiti 0
    movi a5, 1`),
    );
    const cpu = new Cpu();
    loadElf(cpu, readFileSync(elf));
    cpu.run(1e8);
    assert.strictEqual(cpu.stopped?.cause, 4, cpu.stopped?.message);
    assert.ok(cpu.cycles >= 1_000_000 && cpu.cycles < 1_000_020, `woke at cycle ${cpu.cycles}`);
    assert.ok(cpu.instructions < 100, 'slept rather than spun');
  });
});

describe('lx106 CPU: ROM functions that reach the flash', function () {
  this.timeout(60000);
  const builder = suiteProgramBuilder('rom-flash');

  it('SPIRead copies flash into RAM, and Cache_Read_Enable lets code run from the flash window', async () => {
    // the flash holds, at 0x1000, a word and (at 0x1004) "movi.n a7, 42; ret.n"
    const flash = new NorFlash(64 * 1024);
    flash.program(0x1000, Uint8Array.from([0x78, 0x56, 0x34, 0x12, 0x2c, 0xa7, 0x0d, 0xf0]));
    const elf = await builder.assemble(
      userModeProgram(
        `
    movi a2, 0x1000
    movi a3, buffer
    movi a4, 4
    movi a8, 0x40004b1c
    callx0 a8
    mov a10, a2
    movi a3, buffer
    l32i a11, a3, 0
    movi a2, 0
    movi a3, 0
    movi a4, 1
    movi a8, 0x40004678
    callx0 a8
    movi a8, 0x40201004
    callx0 a8
    ill`,
        'buffer: .word 0',
      ),
    );
    const cpu = new Cpu();
    installRomFunctions(cpu, flash);
    loadElf(cpu, readFileSync(elf));
    cpu.run(1e6);
    const registers = cpu.stopped!.registers;
    assert.strictEqual(registers[10], 0, 'SPIRead succeeded');
    assert.strictEqual(registers[11], 0x12345678);
    assert.strictEqual(registers[7], 42, 'the code in flash ran');
  });
});

describe('lx106 CPU: WAITI across runs', function () {
  this.timeout(60000);
  const builder = suiteProgramBuilder('waiti-runs');

  it('sleeps through several short runs, time still passing, until the timer wakes it', async () => {
    const elf = await builder.assemble(
      userModeProgram(`
${armTimerAt(500000)}
    waiti 0`),
    );
    const cpu = new Cpu();
    loadElf(cpu, readFileSync(elf));
    for (let slice = 1; slice <= 4; slice++) {
      cpu.run(slice * 100_000);
      assert.strictEqual(cpu.cycles, slice * 100_000, `slice ${slice}`);
      assert.strictEqual(cpu.waiting, true);
    }
    cpu.run(1_000_000);
    assert.strictEqual(cpu.stopped?.cause, 4, cpu.stopped?.message);
    assert.ok(cpu.cycles >= 500_000 && cpu.cycles < 500_020);
  });
});
