// The bus maps devices through the Peripheral interface: aligned 32-bit accesses with the cycle
// count since power-on; narrow accesses fault before a device sees them; mappings may not overlap.
import assert from 'assert';

import { Cpu } from '../../../../src/sim/cpu/cpu';
import { Cause, EXCEPTION_TAKEN } from '../../../../src/sim/cpu/exceptions';
import { UART0_BASE } from '../../../../src/sim/cpu/memory-map';
import type { Peripheral } from '../../../../src/sim/cpu/peripheral';

class Recorder implements Peripheral {
  readonly accesses: string[] = [];
  constructor(readonly name: string) {}
  read32(offset: number, cycle: number): number {
    this.accesses.push(`r ${offset} @${cycle}`);
    return 0xfeedf00d;
  }
  write32(offset: number, value: number, cycle: number): void {
    this.accesses.push(`w ${offset}=${value.toString(16)} @${cycle}`);
  }
}

describe('lx106 CPU: the peripheral bus', () => {
  it('hands word accesses to the device with its offset and the cycle count', () => {
    const cpu = new Cpu();
    const gpio = new Recorder('GPIO');
    cpu.bus.map({ base: 0x60000300, size: 0x100, device: gpio });
    cpu.cycles = 1234;
    assert.strictEqual(cpu.load32(0x60000318) >>> 0, 0xfeedf00d);
    cpu.store32(0x60000304, -1);
    assert.deepStrictEqual(gpio.accesses, ['r 24 @1234', 'w 4=ffffffff @1234']);
  });

  it('faults a byte access to a device with LoadStoreError before the device sees it', () => {
    const cpu = new Cpu();
    const gpio = new Recorder('GPIO');
    cpu.bus.map({ base: 0x60000300, size: 0x100, device: gpio });
    cpu.pc = 0x40100000;
    assert.throws(
      () => cpu.load8(0x60000300),
      (e) => e === EXCEPTION_TAKEN,
    );
    assert.strictEqual(cpu.readSpecial(232), Cause.LOAD_STORE_ERROR);
    assert.strictEqual(cpu.readSpecial(238) >>> 0, 0x60000300);
    assert.deepStrictEqual(gpio.accesses, []);
  });

  it('reports each unmodelled device address once, reading 0', () => {
    const cpu = new Cpu();
    const seen: string[] = [];
    cpu.bus.onUnmodelled = (address, write) => seen.push(`${write ? 'w' : 'r'} ${address.toString(16)}`);
    assert.strictEqual(cpu.load32(0x60000900), 0);
    cpu.load32(0x60000900);
    cpu.store32(0x60000914, 0x73);
    assert.deepStrictEqual(seen, ['r 60000900', 'w 60000914']);
  });

  it('refuses overlapping, unaligned or out-of-space mappings', () => {
    const cpu = new Cpu();
    cpu.bus.map({ base: UART0_BASE, size: 0x100, device: new Recorder('UART0') });
    assert.throws(() => cpu.bus.map({ base: 0x600000f0, size: 0x20, device: new Recorder('X') }), /overlaps UART0/);
    assert.throws(() => cpu.bus.map({ base: 0x60000402, size: 0x10, device: new Recorder('X') }), /not an aligned range/);
    assert.throws(() => cpu.bus.map({ base: 0x3ffe8000, size: 0x10, device: new Recorder('X') }), /not an aligned range/);
  });
});

describe('lx106 CPU: code in the flash window', () => {
  it('runs what is mapped now, not what was decoded before a remap', () => {
    const cpu = new Cpu();
    // movi.n a7, <n>; ill.n
    const code = (n: number): Uint8Array => Uint8Array.from([0x0c | ((n >> 4) << 4), ((n & 15) << 4) | 7, 0x6d, 0xf0]);
    const runFromFlash = (n: number): number => {
      cpu.bus.mapFlash(code(n));
      cpu.stopped = undefined;
      cpu.pc = cpu.npc = 0x40200000;
      cpu.run(cpu.cycles + 100);
      return cpu.stopped!.registers[7];
    };
    assert.strictEqual(runFromFlash(5), 5);
    assert.strictEqual(runFromFlash(9), 9);
  });
});
