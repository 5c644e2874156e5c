// The handful of ESP8266 registers that flashing tools read or write through READ_REG / WRITE_REG.
// Addresses and values: esptool targets/esp8266.py and esptool-js lib/targets/esp8266.js.
import { SPI0_BASE, UART0_BASE } from '../cpu/memory-map';
import { BOOT_CPU_HZ } from '../rom/rom-boot';
import type { NorFlash } from '../board/nor-flash';
import { EFUSE_BASE, EFUSE_SIZE, type Efuse } from '../peripherals/efuse';

export const CHIP_DETECT_MAGIC_REG = 0x40001000;
export const ESP8266_CHIP_MAGIC = 0xfff0c101;
export const UART_CLKDIV_REG = UART0_BASE + 0x14;
export const SPI_REG_BASE = SPI0_BASE;
const SPI_CMD = SPI_REG_BASE + 0x00;
const SPI_USR2 = SPI_REG_BASE + 0x24;
const SPI_W0 = SPI_REG_BASE + 0x40;
/** Bit 18 of SPI_CMD starts the user-defined command; hardware clears it when the command is done. */
const SPI_CMD_USR = 1 << 18;
const SPIFLASH_RDID = 0x9f;
/** The UART divider counts the APB clock, which the ROM leaves at the CPU's 52 MHz (2 × a 26 MHz
 * crystal): esptool computes xtal = baud·div / 1e6 / 2. */
const UART_CLOCK_HZ = BOOT_CPU_HZ;

export class ChipRegisters {
  private readonly words = new Map<number, number>();

  constructor(
    private readonly flash: NorFlash,
    private readonly efuse: Efuse,
    private readonly uartBaud: () => number,
  ) {}

  read(address: number): number {
    if (address === CHIP_DETECT_MAGIC_REG) return ESP8266_CHIP_MAGIC;
    if (address === UART_CLKDIV_REG) return Math.round(UART_CLOCK_HZ / this.uartBaud()) & 0xfffff;
    if (address >= EFUSE_BASE && address < EFUSE_BASE + EFUSE_SIZE) return this.efuse.read32(address - EFUSE_BASE);
    return this.words.get(address) ?? 0;
  }

  write(address: number, value: number, mask = 0xffffffff): void {
    const merged = ((this.read(address) & ~mask) | (value & mask)) >>> 0;
    if (address === CHIP_DETECT_MAGIC_REG || address === UART_CLKDIV_REG) return; // ROM / clock: not writable here
    if (address >= EFUSE_BASE && address < EFUSE_BASE + EFUSE_SIZE) return; // burnt at the factory
    if (address === SPI_CMD) {
      // Only a write that starts a user command does anything. esptool-js 0.7 also writes 0x17 here
      // (it takes the ESP32 code path on the ESP8266); the SPI block ignores such writes.
      if (merged & SPI_CMD_USR) this.runSpiUserCommand();
      return;
    }
    this.words.set(address, merged);
  }

  /** Executes the command in USR2's low byte the way the SPI controller would, leaving results in W0. */
  private runSpiUserCommand(): void {
    const command = (this.words.get(SPI_USR2) ?? 0) & 0xff;
    this.words.set(SPI_W0, command === SPIFLASH_RDID ? this.flash.jedecId : 0);
    this.words.set(SPI_CMD, 0);
  }
}
