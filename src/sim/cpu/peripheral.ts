/**
 * What a memory-mapped device of the virtual ESP8266 (UART0, GPIO, IO_MUX, the watchdog, ...)
 * offers the CPU's bus. The CPU only ever reaches a peripheral with aligned 32-bit loads and
 * stores, as on the chip; the bus faults any other access before a device sees it.
 *
 * `cycle` is the CPU's cycle count since power-on (not the wrapping 32-bit CCOUNT), so a device
 * can run on virtual time: the seconds since power-on are cycle / the CPU clock in Hz.
 */
export interface Peripheral {
  /** A short name for fault reports and the "unmodelled" log, e.g. "UART0". */
  readonly name: string;
  /** The 32-bit word at `offset` bytes from the device's base. */
  read32(offset: number, cycle: number): number;
  /** Stores the 32-bit `value` (unsigned) at `offset` bytes from the device's base. */
  write32(offset: number, value: number, cycle: number): void;
}

/** A peripheral mapped at `base` (inclusive) for `size` bytes of the 0x60000000 peripheral space. */
export interface PeripheralMapping {
  base: number;
  size: number;
  device: Peripheral;
}
