import type { Peripheral } from '../cpu/peripheral';
import { IO_MUX_BASE } from '../cpu/memory-map';
import type { UnmodelledLog } from './unmodelled';

/**
 * IO_MUX (0x60000800): one register per pad with its function select and pull resistors (SDK
 * `eagle_soc.h` / `pin_mux_register.h`). The function number is bits 5:4 plus bit 8 as its bit 2;
 * bit 7 is the pull-up and bit 6 the pull-down. Reset leaves every register 0, so GPIO0, 2, 4 and 5
 * are GPIOs and the other pads carry their first function (UART0 on 1 and 3, SPI flash, JTAG).
 */

/** The offset of each GPIO's pad register and the function number that makes it a GPIO. */
export const PADS: ReadonlyArray<{ offset: number; gpioFunction: number }> = [
  { offset: 0x34, gpioFunction: 0 }, // GPIO0
  { offset: 0x18, gpioFunction: 3 }, // GPIO1, U0TXD
  { offset: 0x38, gpioFunction: 0 }, // GPIO2
  { offset: 0x14, gpioFunction: 3 }, // GPIO3, U0RXD
  { offset: 0x3c, gpioFunction: 0 }, // GPIO4
  { offset: 0x40, gpioFunction: 0 }, // GPIO5
  { offset: 0x1c, gpioFunction: 3 }, // GPIO6, SD_CLK
  { offset: 0x20, gpioFunction: 3 }, // GPIO7, SD_DATA0
  { offset: 0x24, gpioFunction: 3 }, // GPIO8, SD_DATA1
  { offset: 0x28, gpioFunction: 3 }, // GPIO9, SD_DATA2
  { offset: 0x2c, gpioFunction: 3 }, // GPIO10, SD_DATA3
  { offset: 0x30, gpioFunction: 3 }, // GPIO11, SD_CMD
  { offset: 0x04, gpioFunction: 3 }, // GPIO12, MTDI
  { offset: 0x08, gpioFunction: 3 }, // GPIO13, MTCK
  { offset: 0x0c, gpioFunction: 3 }, // GPIO14, MTMS
  { offset: 0x10, gpioFunction: 3 }, // GPIO15, MTDO
];

const LAST_REGISTER = 0x40;
const PULLDOWN = 1 << 6;
const PULLUP = 1 << 7;

export function functionOf(register: number): number {
  return ((register >> 4) & 3) | ((register >> 6) & 4);
}

export class IoMux implements Peripheral {
  readonly name = 'IO_MUX';
  /** Called after a write, so the GPIO block can re-route its pads. */
  onChange: (cycle: number) => void = () => undefined;
  private readonly registers = new Uint32Array(LAST_REGISTER / 4 + 1);

  constructor(
    private readonly unmodelled: UnmodelledLog,
    private readonly base = IO_MUX_BASE,
  ) {}

  /** Whether GPIO `pin`'s pad has its GPIO function selected. */
  isGpio(pin: number): boolean {
    const pad = PADS[pin];
    return functionOf(this.registers[pad.offset / 4]) === pad.gpioFunction;
  }

  pull(pin: number): 'up' | 'down' | 'none' {
    const value = this.registers[PADS[pin].offset / 4];
    if (value & PULLUP) return 'up';
    if (value & PULLDOWN) return 'down';
    return 'none';
  }

  read32(offset: number): number {
    if (offset > LAST_REGISTER) {
      this.unmodelled.access(this.name, this.base + offset, 'read');
      return 0;
    }
    return this.registers[offset / 4];
  }

  write32(offset: number, value: number, cycle: number): void {
    if (offset > LAST_REGISTER) {
      this.unmodelled.access(this.name, this.base + offset, 'write', value);
      return;
    }
    this.registers[offset / 4] = value;
    this.onChange(cycle);
  }
}
