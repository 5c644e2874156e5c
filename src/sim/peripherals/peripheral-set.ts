import type { PeripheralMapping } from '../cpu/peripheral';
import { GPIO_BASE, IO_MUX_BASE, SPI0_BASE, UART0_BASE, UART1_BASE, WATCHDOG_BASE } from '../cpu/memory-map';
import type { WireChunk } from '../board/serial-line';
import type { SocClocks } from './clocks';
import { Gpio, type Straps } from './gpio';
import { IoMux } from './io-mux';
import { Uart } from './uart';
import { UnmodelledDevice, UnmodelledLog } from './unmodelled';
import { Watchdog } from './watchdog';

/** The blocks of the 0x60000000 space that are mapped but not modelled, by name (SDK `eagle_soc.h`). */
const UNMODELLED_BLOCKS: ReadonlyArray<{ name: string; base: number; size: number }> = [
  { name: 'SPI1', base: 0x60000100, size: 0x100 },
  { name: 'SPI0', base: SPI0_BASE, size: 0x100 },
  { name: 'FRC', base: 0x60000600, size: 0x100 },
  { name: 'RTC', base: 0x60000700, size: 0x100 },
  { name: 'SLC', base: 0x60000b00, size: 0x100 },
  { name: 'I2S', base: 0x60000e00, size: 0x100 },
  { name: 'UART1', base: UART1_BASE, size: 0x100 },
  { name: 'RTC RAM', base: 0x60001000, size: 0x400 },
];

export interface Peripherals {
  uart: Uart;
  gpio: Gpio;
  ioMux: IoMux;
  watchdog: Watchdog;
  unmodelled: UnmodelledLog;
  /** Everything above, plus the unmodelled blocks, for the CPU's bus. */
  mappings: PeripheralMapping[];
}

/**
 * The virtual ESP8266's peripherals, wired together: UART0 to the host's serial line, IO_MUX to the
 * GPIO block's pads, and every unmodelled access to one log (whose messages go to `report`).
 */
export function createPeripherals(options: {
  clocks: SocClocks;
  transmit: (chunk: WireChunk) => void;
  report?: (message: string) => void;
  straps?: Straps;
}): Peripherals {
  const unmodelled = new UnmodelledLog(options.report);
  const uart = new Uart(options.clocks, options.transmit, unmodelled);
  const ioMux = new IoMux(unmodelled);
  const gpio = new Gpio(options.clocks, ioMux, unmodelled, options.straps);
  const watchdog = new Watchdog(options.clocks, unmodelled);
  const mappings: PeripheralMapping[] = [
    { base: UART0_BASE, size: 0x100, device: uart },
    { base: GPIO_BASE, size: 0x100, device: gpio },
    { base: IO_MUX_BASE, size: 0x100, device: ioMux },
    { base: WATCHDOG_BASE, size: 0x100, device: watchdog },
    ...UNMODELLED_BLOCKS.map((b) => ({ base: b.base, size: b.size, device: new UnmodelledDevice(b.name, b.base, unmodelled) })),
  ];
  return { uart, gpio, ioMux, watchdog, unmodelled, mappings };
}
