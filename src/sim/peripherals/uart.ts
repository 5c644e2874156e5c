import type { Peripheral } from '../cpu/peripheral';
import { UART0_BASE } from '../cpu/memory-map';
import { baudRatesMatch, sampleAtBaud, type WireChunk } from '../board/serial-line';
import { type SocClocks } from './clocks';
import type { UnmodelledLog } from './unmodelled';

/**
 * UART0 (0x60000000), from Espressif's register map (SDK `uart_register.h`): 128-byte RX and TX
 * FIFOs, STATUS counts, CONF0/CONF1, the interrupt registers and CLKDIV. The bit rate is APB / CLKDIV,
 * so a wrong divisor puts bytes on the serial line at a rate the host does not sample correctly, and
 * the TX FIFO drains one frame at a time in virtual time. Received bytes come from the host's line
 * at the host's rate; at another rate they arrive as garbage with the frame-error bit set.
 */

export const UART_FIFO_DEPTH = 128;
/** 80 MHz / 115200, what the ROM's Uart_Init leaves (74880 baud at the 52 MHz APB after reset). */
export const ROM_CLKDIV = 694;

/** Register offsets from the block's base. */
export const UART_REG = {
  FIFO: 0x00,
  INT_RAW: 0x04,
  INT_ST: 0x08,
  INT_ENA: 0x0c,
  INT_CLR: 0x10,
  CLKDIV: 0x14,
  AUTOBAUD: 0x18,
  STATUS: 0x1c,
  CONF0: 0x20,
  CONF1: 0x24,
} as const;
const { FIFO, INT_RAW, INT_ST, INT_ENA, INT_CLR, CLKDIV, AUTOBAUD, STATUS, CONF0, CONF1 } = UART_REG;

export const INT_RXFIFO_FULL = 1 << 0;
export const INT_TXFIFO_EMPTY = 1 << 1;
export const INT_FRAME_ERROR = 1 << 3;
export const INT_RXFIFO_OVERFLOW = 1 << 4;
/** The interrupt bits this model raises; the rest (parity, timeouts, flow control) never fire. */
const LATCHED = INT_FRAME_ERROR | INT_RXFIFO_OVERFLOW;

const CONF0_PARITY_ENABLE = 1 << 1;
const CONF0_LOOPBACK = 1 << 14;
const CONF0_RXFIFO_RESET = 1 << 17;
const CONF0_TXFIFO_RESET = 1 << 18;
/** 8 data bits, 1 stop bit, no parity. */
const CONF0_RESET = 0x1c;
/** RXFIFO_FULL and TXFIFO_EMPTY thresholds of 96 bytes. */
const CONF1_RESET = 0x6060;

export class Uart implements Peripheral {
  readonly name = 'UART0';
  private readonly rx: number[] = [];
  private readonly tx: number[] = [];
  /** The cycle at which the TX FIFO's first byte has left the pin. */
  private txHeadDoneCycle = 0;
  private clkdiv = ROM_CLKDIV;
  private conf0 = CONF0_RESET;
  private conf1 = CONF1_RESET;
  private autobaud = 0;
  private intEna = 0;
  private latched = 0;
  private lastCycle = 0;
  /** Bytes written while the TX FIFO was full (lost, as on the chip). */
  droppedTx = 0;

  constructor(
    private readonly clocks: SocClocks,
    /** Where transmitted bytes go: the serial line to the host. */
    private readonly wire: (chunk: WireChunk) => void,
    private readonly unmodelled: UnmodelledLog,
    private readonly base = UART0_BASE,
  ) {}

  /** The bit rate the divisor gives now. */
  get baud(): number {
    return this.clocks.apbHz / this.clkdiv;
  }

  /** Whether the UART interrupt (level 1, number 5) is asserted. */
  get interruptPending(): boolean {
    return (this.intRaw() & this.intEna) !== 0;
  }

  /** Bytes from the host's serial line, sent at `chunk.baud`. */
  receive(chunk: WireChunk, cycle: number): void {
    this.sync(cycle);
    let bytes = chunk.bytes;
    if (!baudRatesMatch(chunk.baud, this.baud)) {
      bytes = sampleAtBaud(bytes, chunk.baud, this.baud);
      this.latched |= INT_FRAME_ERROR;
    }
    this.pushRx(bytes);
  }

  /** Sends whatever has finished leaving the TX pin by `cycle`. */
  sync(cycle: number): void {
    this.lastCycle = Math.max(this.lastCycle, cycle);
    if (this.tx.length === 0 || this.txHeadDoneCycle > cycle) return;
    const frame = this.frameCycles();
    let count = 0;
    while (count < this.tx.length && this.txHeadDoneCycle <= cycle) {
      count += 1;
      this.txHeadDoneCycle += frame;
    }
    const bytes = Uint8Array.from(this.tx.splice(0, count));
    if (this.conf0 & CONF0_LOOPBACK) this.pushRx(bytes);
    else this.wire({ bytes, baud: this.baud });
  }

  /** The cycle at which the next byte leaves the TX pin, or null when the FIFO is empty. */
  nextEventCycle(): number | null {
    return this.tx.length === 0 ? null : this.txHeadDoneCycle;
  }

  read32(offset: number, cycle: number): number {
    this.sync(cycle);
    switch (offset) {
      case FIFO:
        return this.rx.shift() ?? 0;
      case INT_RAW:
        return this.intRaw();
      case INT_ST:
        return this.intRaw() & this.intEna;
      case INT_ENA:
        return this.intEna;
      case INT_CLR:
        return 0;
      case CLKDIV:
        return this.clkdiv;
      case AUTOBAUD:
        return this.autobaud;
      case STATUS:
        return (this.rx.length & 0xff) | ((this.tx.length & 0xff) << 16);
      case CONF0:
        return this.conf0;
      case CONF1:
        return this.conf1;
      default:
        this.unmodelled.access(this.name, this.base + offset, 'read');
        return 0;
    }
  }

  write32(offset: number, value: number, cycle: number): void {
    this.sync(cycle);
    switch (offset) {
      case FIFO:
        this.pushTx(value & 0xff, cycle);
        break;
      case INT_ENA:
        this.intEna = value & 0x1ff;
        break;
      case INT_CLR:
        this.latched &= ~value;
        break;
      case CLKDIV:
        this.clkdiv = Math.max(1, value & 0xfffff);
        break;
      case AUTOBAUD:
        this.autobaud = value;
        break;
      case CONF0:
        this.conf0 = value >>> 0;
        if (value & CONF0_RXFIFO_RESET) this.rx.length = 0;
        if (value & CONF0_TXFIFO_RESET) this.tx.length = 0;
        break;
      case CONF1:
        this.conf1 = value >>> 0;
        break;
      case INT_RAW:
      case INT_ST:
      case STATUS:
        break; // read-only
      default:
        this.unmodelled.access(this.name, this.base + offset, 'write', value);
    }
  }

  private intRaw(): number {
    let raw = this.latched & LATCHED;
    if (this.rx.length >= (this.conf1 & 0x7f)) raw |= INT_RXFIFO_FULL;
    if (this.tx.length < ((this.conf1 >> 8) & 0x7f)) raw |= INT_TXFIFO_EMPTY;
    return raw;
  }

  private pushTx(byte: number, cycle: number): void {
    if (this.tx.length >= UART_FIFO_DEPTH) {
      this.droppedTx += 1;
      return;
    }
    if (this.tx.length === 0) this.txHeadDoneCycle = Math.max(cycle, this.lastCycle) + this.frameCycles();
    this.tx.push(byte);
  }

  private pushRx(bytes: Uint8Array): void {
    for (const byte of bytes) {
      if (this.rx.length >= UART_FIFO_DEPTH) this.latched |= INT_RXFIFO_OVERFLOW;
      else this.rx.push(byte);
    }
  }

  /** CPU cycles one frame takes: start bit, 5-8 data bits, optional parity, 1/1.5/2 stop bits. */
  private frameCycles(): number {
    const dataBits = 5 + ((this.conf0 >> 2) & 3);
    const parity = this.conf0 & CONF0_PARITY_ENABLE ? 1 : 0;
    const stopBits = [1, 1, 1.5, 2][(this.conf0 >> 4) & 3];
    const bits = 1 + dataBits + parity + stopBits;
    return (bits * this.clocks.cpuHz) / this.baud;
  }
}
