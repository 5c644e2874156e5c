import { strict as assert } from 'assert';
import { watchBus, type BusWatchHooks } from '../../../../src/sim/board/bus-watch';
import type { PeripheralMapping } from '../../../../src/sim/cpu/peripheral';
import { UART0_BASE } from '../../../../src/sim/cpu/memory-map';
import { afterRomClocks } from '../../../../src/sim/peripherals/clocks';
import { Uart, UART_FIFO_DEPTH, UART_REG } from '../../../../src/sim/peripherals/uart';
import { UnmodelledDevice, UnmodelledLog } from '../../../../src/sim/peripherals/unmodelled';
import type { WireChunk } from '../../../../src/sim/board/serial-line';

const IRAM_PC = 0x40100010;
const ROM_PC = 0x400024cc;
/** 10 bits at 74880 baud (CLKDIV 694 at 52 MHz): 6940 cycles per frame. */
const FRAME = 6940;

/** A UART and one other device behind the watch, with a CPU that is only a PC and a cycle count. */
function setUp(horizon = 1_000_000) {
  const sent: WireChunk[] = [];
  const log = new UnmodelledLog();
  const uart = new Uart(afterRomClocks(), (chunk) => sent.push(chunk), log);
  const cpu = { pc: IRAM_PC, cycles: 0, skips: [] as number[] };
  const hooks: BusWatchHooks = {
    pc: () => cpu.pc,
    cycles: () => cpu.cycles,
    skipTo: (cycle) => {
      cpu.skips.push(cycle);
      cpu.cycles = Math.max(cpu.cycles, cycle);
    },
    horizon: () => horizon,
  };
  const mappings: PeripheralMapping[] = [
    { base: UART0_BASE, size: 0x100, device: uart },
    { base: 0x60000600, size: 0x100, device: new UnmodelledDevice('FRC', 0x60000600, log) },
  ];
  const [watchedUart, other] = watchBus(mappings, uart, hooks).map((m) => m.device);
  return { uart, watchedUart, other, cpu, sent };
}

describe('virtual board bus watch', () => {
  it('skips a poll that reads the UART status it read at the previous device access, to the end of the slice', () => {
    const { watchedUart, cpu } = setUp(500_000);
    cpu.cycles = 100;
    assert.equal(watchedUart.read32(UART_REG.STATUS, cpu.cycles), 0);
    assert.deepEqual(cpu.skips, [], 'the first read only notes the value');
    cpu.cycles = 130;
    assert.equal(watchedUart.read32(UART_REG.STATUS, cpu.cycles), 0);
    assert.deepEqual(cpu.skips, [500_000]);
  });

  it('skips a full-FIFO wait only to the next frame leaving the pin', () => {
    const { watchedUart, uart, cpu } = setUp();
    for (let i = 0; i < 4; i++) uart.write32(UART_REG.FIFO, 0x41, 0);
    watchedUart.read32(UART_REG.STATUS, 10);
    cpu.cycles = 20;
    watchedUart.read32(UART_REG.STATUS, 20);
    assert.deepEqual(cpu.skips, [FRAME]);
  });

  it('does not skip when anything else on the bus was touched between two status reads', () => {
    const { watchedUart, other, cpu } = setUp();
    watchedUart.read32(UART_REG.STATUS, 0);
    other.read32(0, 5);
    watchedUart.read32(UART_REG.STATUS, 10);
    watchedUart.read32(UART_REG.FIFO, 15);
    watchedUart.read32(UART_REG.STATUS, 20);
    assert.deepEqual(cpu.skips, []);
  });

  it('lets the ROM wait for room in the TX FIFO, where a program loses the byte', () => {
    const { watchedUart, uart, cpu, sent } = setUp();
    cpu.pc = ROM_PC;
    for (let i = 0; i < UART_FIFO_DEPTH + 3; i++) watchedUart.write32(UART_REG.FIFO, 0x30 + (i % 10), cpu.cycles);
    assert.equal(uart.droppedTx, 0);
    assert.equal(cpu.cycles, 3 * FRAME, 'three frames had to leave first');
    assert.equal(
      sent.reduce((n, c) => n + c.bytes.length, 0),
      3,
    );

    cpu.pc = IRAM_PC;
    watchedUart.write32(UART_REG.FIFO, 0x21, cpu.cycles);
    assert.equal(uart.droppedTx, 1);
  });
});
