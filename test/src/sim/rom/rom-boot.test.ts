// The ROM boot path: a v1 image in the virtual NOR flash is checked, loaded and started as the
// mask ROM does, and the shipped firmware runs from there to its own first UART write.
import assert from 'assert';
import { readFileSync } from 'fs';
import path from 'path';

import { Cpu } from '../../../../src/sim/cpu/cpu';
import { LoggingUart, UART_SIZE } from '../../../support/sim/logging-uart';
import { IRAM, ROM_STACK_TOP, ROM_TICKS_PER_US, UART0_BASE } from '../../../../src/sim/cpu/memory-map';
import { BOOT_CPU_HZ, bootFromFlash, ROM_USER_CODE_DONE } from '../../../../src/sim/rom/rom-boot';
import { NorFlash } from '../../../../src/sim/board/nor-flash';

const REPO_ROOT = path.resolve(__dirname, '..', '..', '..', '..', '..');
const BRIDGE_BIN = readFileSync(path.join(REPO_ROOT, 'firmware', 'bridge.bin'));

function board(image: Uint8Array): { cpu: Cpu; uart: LoggingUart; flash: NorFlash } {
  const flash = new NorFlash(1024 * 1024);
  flash.program(0, image);
  const cpu = new Cpu();
  const uart = new LoggingUart();
  cpu.bus.map({ base: UART0_BASE, size: UART_SIZE, device: uart });
  return { cpu, uart, flash };
}

describe('lx106 CPU: ROM boot from flash', () => {
  it('loads firmware/bridge.bin, prints the ROM log and enters the program as the ROM leaves it', () => {
    const { cpu, uart, flash } = board(BRIDGE_BIN);
    const result = bootFromFlash(cpu, flash);
    assert.strictEqual(result.started, true, result.log);
    assert.strictEqual(cpu.pc, BRIDGE_BIN.readUInt32LE(4));
    assert.ok(cpu.pc >= IRAM.start && cpu.pc < IRAM.end);
    assert.strictEqual(cpu.ar[0], ROM_USER_CODE_DONE);
    assert.ok(cpu.ar[1] < ROM_STACK_TOP && cpu.ar[1] > ROM_STACK_TOP - 0x1000);
    assert.strictEqual(cpu.processorState, 0x20);
    assert.strictEqual(cpu.bus.load32(ROM_TICKS_PER_US), 80);
    assert.match(uart.text(), /ets Jan {2}8 2013,rst cause:1, boot mode:\(3,6\)/);
    assert.match(uart.text(), /chksum 0x[0-9a-f]{2}\r\ncsum 0x[0-9a-f]{2}\r\n$/);
  });

  it('runs the firmware to its first own UART write, through the peripheral bus', () => {
    const { cpu, uart, flash } = board(BRIDGE_BIN);
    bootFromFlash(cpu, flash);
    const romBytes = uart.transmitted.length;
    let firstWritePc: number | undefined;
    uart.onTransmit = () => {
      firstWritePc ??= cpu.pc;
    };
    // a tenth of a second of virtual time is far more than start-up takes
    while (firstWritePc === undefined && cpu.stopped === undefined && cpu.cycles < BOOT_CPU_HZ / 10) cpu.run(cpu.cycles + 100_000);
    assert.strictEqual(cpu.stopped, undefined, cpu.stopped?.message);
    assert.ok(firstWritePc !== undefined, 'the firmware wrote to UART0');
    assert.ok(firstWritePc >= IRAM.start && firstWritePc < IRAM.end, `written by code in IRAM at 0x${firstWritePc.toString(16)}`);
    assert.ok(uart.transmitted.length > romBytes);
    // the ROM's uart_div_modify set 115200 Bd for a 52 MHz clock, ets_update_cpu_frequency 52 ticks/µs
    assert.strictEqual(uart.read32(0x14), Math.floor(52e6 / 115200));
    assert.strictEqual(cpu.bus.load32(ROM_TICKS_PER_US), 52);
  });

  it('keeps running the firmware until it prints its hello line', () => {
    const { cpu, uart, flash } = board(BRIDGE_BIN);
    bootFromFlash(cpu, flash);
    const hello = /\r\n\{"type":"hello","firmware":"ds18b20-bridge",[^\n]*\}\n/;
    while (!hello.test(uart.text()) && cpu.stopped === undefined && cpu.cycles < BOOT_CPU_HZ) cpu.run(cpu.cycles + 1_000_000);
    assert.strictEqual(cpu.stopped, undefined, cpu.stopped?.message);
    assert.match(uart.text(), hello);
  });

  it('refuses an image with a bad checksum and starts nothing', () => {
    const broken = Uint8Array.from(BRIDGE_BIN);
    broken[20] ^= 0xff;
    const { cpu, uart, flash } = board(broken);
    const result = bootFromFlash(cpu, flash);
    assert.strictEqual(result.started, false);
    assert.match(uart.text(), /csum err/);
  });

  it('refuses blank flash', () => {
    const { cpu, flash } = board(new Uint8Array(0));
    const result = bootFromFlash(cpu, flash);
    assert.strictEqual(result.started, false);
    assert.match(result.log, /ets_main\.c/);
  });
});
