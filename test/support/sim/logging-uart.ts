/**
 * A stand-in for UART0 that logs what the program transmits: a byte written to the FIFO
 * register goes to `transmitted` (and `onTransmit`), the status register reports empty FIFOs,
 * and every other register keeps what was written. Register offsets: ESP8266 SDK
 * uart_register.h (FIFO +0x00, STATUS +0x1C with the TX count in [23:16]).
 */
import type { Peripheral } from '../../../src/sim/cpu/peripheral';

const FIFO = 0x00;
const STATUS = 0x1c;
/** ROM's Uart_Init leaves CLKDIV at 80 MHz / 115200 (reset value 0x2B6). */
const CLKDIV = 0x14;
const RESET_CLKDIV = 694;

export const UART_SIZE = 0x100;

export class LoggingUart implements Peripheral {
  readonly name = 'UART0';
  readonly transmitted: number[] = [];
  /** The cycle of each transmitted byte, for timing checks. */
  readonly transmitCycles: number[] = [];
  onTransmit: (byte: number, cycle: number) => void = () => {};
  private readonly registers = new Map<number, number>([[CLKDIV, RESET_CLKDIV]]);

  read32(offset: number): number {
    if (offset === FIFO || offset === STATUS) return 0;
    return this.registers.get(offset) ?? 0;
  }

  write32(offset: number, value: number, cycle: number): void {
    if (offset === FIFO) {
      this.transmitted.push(value & 0xff);
      this.transmitCycles.push(cycle);
      this.onTransmit(value & 0xff, cycle);
      return;
    }
    this.registers.set(offset, value);
  }

  text(): string {
    return Buffer.from(this.transmitted).toString('latin1');
  }
}
