/**
 * Where things are in the ESP8266's address space, as the CPU's bus maps them.
 * Sources: ESP8266 SDK eagle_soc.h and eagle.app.v6.ld, the esp8266-wiki Memory-Map page,
 * and the annotated ROM disassembly (trebisky/esp8266 reverse/bootrom).
 */
export interface Region {
  readonly start: number;
  /** One past the last byte. */
  readonly end: number;
}

/** User DRAM (0x3FFE8000) and, above 0x3FFFC000, the ROM's data, .bss and stack. */
export const DRAM: Region = { start: 0x3ffe8000, end: 0x40000000 };
/** The mask ROM: no content here, only the entry points the CPU emulates by address. */
export const ROM: Region = { start: 0x40000000, end: 0x40010000 };
/** Instruction RAM: 32 KiB, plus the 32 KiB the flash cache takes only once a program enables it. */
export const IRAM: Region = { start: 0x40100000, end: 0x40110000 };
/** Flash mapped through the cache after Cache_Read_Enable: up to 1 MiB from flash offset 0. */
export const FLASH_WINDOW: Region = { start: 0x40200000, end: 0x40300000 };
/** DPORT, the SoC's control registers. */
export const DPORT: Region = { start: 0x3ff00000, end: 0x3ff01000 };
/** UART, SPI, GPIO, timers, RTC, IO_MUX, watchdog and RTC memory. */
export const PERIPHERALS: Region = { start: 0x60000000, end: 0x60002000 };

/** Bases of the peripheral blocks more than one part of the simulator reaches (SDK eagle_soc.h). */
export const UART0_BASE = 0x60000000;
export const SPI0_BASE = 0x60000200;
export const GPIO_BASE = 0x60000300;
export const IO_MUX_BASE = 0x60000800;
export const WATCHDOG_BASE = 0x60000900;
export const UART1_BASE = 0x60000f00;

/** The ROM's stack grows down from here (the ROM's _start sets a1 to it). */
export const ROM_STACK_TOP = 0x40000000;
/** ROM data word holding ets_delay_us' ticks per microsecond (ets_update_cpu_frequency sets it). */
export const ROM_TICKS_PER_US = 0x3fffc704;

export const contains = (region: Region, address: number): boolean => address >= region.start && address < region.end;
