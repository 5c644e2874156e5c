/**
 * The mask-ROM functions a program may call, emulated by address: each does what the ROM's
 * own code does to registers and devices, in one step. Addresses: ESP8266 SDK
 * eagle.rom.addr.v6.ld (uart_div_modify from the v0.6 SDK's copy). Behaviour: the annotated
 * ROM disassembly (trebisky/esp8266 reverse/bootrom) and the SDK headers.
 * Arguments come in a2..a7 (call0 ABI), results go back in a2.
 */
import type { Cpu } from '../cpu/cpu';
import type { FlashReader } from '../board/nor-flash';
import { FLASH_WINDOW, ROM_TICKS_PER_US, UART0_BASE, UART1_BASE, WATCHDOG_BASE } from '../cpu/memory-map';

const UART_FIFO = 0x00;
const UART_CLKDIV = 0x14;
const UART_CONF0 = 0x20;
const UART_RXFIFO_RST = 1 << 17;
const UART_TXFIFO_RST = 1 << 18;
const WDT_CTL = WATCHDOG_BASE;
const WDT_FEED = 0x60000914;
const WDT_FEED_MAGIC = 0x73;
/** ets_printf's formats are short; a runaway string stops here. */
const MAX_FORMAT = 1024;

export interface RomFunction {
  address: number;
  name: string;
  run: (cpu: Cpu) => void;
}

const uartBase = (uart: number): number => (uart === 1 ? UART1_BASE : UART0_BASE);

function transmit(cpu: Cpu, text: string): void {
  for (let i = 0; i < text.length; i++) cpu.bus.store32(UART0_BASE + UART_FIFO, text.charCodeAt(i) & 0xff);
}

function readString(cpu: Cpu, address: number): string {
  let text = '';
  for (let i = 0; i < MAX_FORMAT; i++) {
    const byte = cpu.bus.load8(address + i);
    if (byte === 0) break;
    text += String.fromCharCode(byte);
  }
  return text;
}

/** The ROM printf's conversions: %d %i %u %x %X %c %s %p %% with flags 0/-, width and l. */
export function formatRom(format: string, nextArgument: () => number, readText: (address: number) => string): string {
  return format.replace(/%([-0]?)(\d*)l?([diuxXcsp%])/g, (_, flag: string, width: string, conversion: string) => {
    if (conversion === '%') return '%';
    const value = nextArgument();
    let text: string;
    switch (conversion) {
      case 'd':
      case 'i':
        text = String(value | 0);
        break;
      case 'u':
        text = String(value >>> 0);
        break;
      case 'x':
      case 'p':
        text = (value >>> 0).toString(16);
        break;
      case 'X':
        text = (value >>> 0).toString(16).toUpperCase();
        break;
      case 'c':
        text = String.fromCharCode(value & 0xff);
        break;
      default:
        text = readText(value >>> 0);
    }
    const size = Number(width || 0);
    if (flag === '-') return text.padEnd(size);
    return text.padStart(size, flag === '0' && conversion !== 's' ? '0' : ' ');
  });
}

/** Variadic arguments after a2: a3..a7, then the caller's stack from a1 upwards. */
function argumentsAfterFirst(cpu: Cpu): () => number {
  let index = 1;
  return () => {
    const n = index++;
    return n < 6 ? cpu.ar[2 + n] : cpu.bus.load32(((cpu.ar[1] >>> 0) + (n - 6) * 4) >>> 0);
  };
}

export const ROM_FUNCTIONS: readonly RomFunction[] = [
  {
    address: 0x400024cc,
    name: 'ets_printf',
    run: (cpu) => {
      const text = formatRom(readString(cpu, cpu.ar[2] >>> 0), argumentsAfterFirst(cpu), (a) => readString(cpu, a));
      transmit(cpu, text);
      cpu.ar[2] = text.length;
    },
  },
  {
    address: 0x40003b30,
    name: 'uart_tx_one_char',
    run: (cpu) => {
      cpu.bus.store32(UART0_BASE + UART_FIFO, cpu.ar[2] & 0xff);
      cpu.ar[2] = 0;
    },
  },
  {
    // Writes the divisor, then resets both FIFOs (sets and clears CONF0 bits 17 and 18).
    address: 0x400039d8,
    name: 'uart_div_modify',
    run: (cpu) => {
      const base = uartBase(cpu.ar[2] & 0xff);
      cpu.bus.store32(base + UART_CLKDIV, cpu.ar[3] & 0xfffff);
      const conf0 = cpu.bus.load32(base + UART_CONF0);
      cpu.bus.store32(base + UART_CONF0, conf0 | UART_RXFIFO_RST | UART_TXFIFO_RST);
      cpu.bus.store32(base + UART_CONF0, conf0 & ~(UART_RXFIFO_RST | UART_TXFIFO_RST));
    },
  },
  {
    address: 0x40002f04,
    name: 'ets_update_cpu_frequency',
    run: (cpu) => {
      cpu.bus.store32(ROM_TICKS_PER_US, cpu.ar[2]);
    },
  },
  {
    address: 0x40002f0c,
    name: 'ets_get_cpu_frequency',
    run: (cpu) => {
      cpu.ar[2] = cpu.bus.load32(ROM_TICKS_PER_US);
    },
  },
  {
    // Spins on CCOUNT for us × ticks-per-µs cycles; here the time passes at once.
    address: 0x40002ecc,
    name: 'ets_delay_us',
    run: (cpu) => {
      cpu.cycles += (cpu.ar[2] >>> 0) * (cpu.bus.load32(ROM_TICKS_PER_US) >>> 0);
    },
  },
  {
    address: 0x400030f0,
    name: 'ets_wdt_disable',
    run: (cpu) => {
      cpu.bus.store32(WDT_CTL, cpu.bus.load32(WDT_CTL) & ~1);
      cpu.bus.store32(WDT_FEED, WDT_FEED_MAGIC);
    },
  },
  { address: 0x40000f74, name: 'ets_intr_lock', run: (cpu) => cpu.setInterruptLevel(3) },
  { address: 0x40000f80, name: 'ets_intr_unlock', run: (cpu) => cpu.setInterruptLevel(0) },
  {
    address: 0x4000df48,
    name: 'memcpy',
    run: (cpu) => {
      const [dst, src, n] = [cpu.ar[2] >>> 0, cpu.ar[3] >>> 0, cpu.ar[4] >>> 0];
      for (let i = 0; i < n; i++) cpu.bus.store8(dst + i, cpu.bus.load8(src + i));
      cpu.cycles += n * 2;
    },
  },
  {
    address: 0x4000e190,
    name: 'memset',
    run: (cpu) => {
      const [dst, value, n] = [cpu.ar[2] >>> 0, cpu.ar[3] & 0xff, cpu.ar[4] >>> 0];
      for (let i = 0; i < n; i++) cpu.bus.store8(dst + i, value);
      cpu.cycles += n;
    },
  },
];

/** The functions that reach the SPI flash: they need the board's flash chip. */
export function flashRomFunctions(flash: FlashReader): RomFunction[] {
  const windowBytes = Math.min(flash.size, FLASH_WINDOW.end - FLASH_WINDOW.start);
  return [
    // Cache_Read_Enable(odd_even, mb_count, no_idea): maps flash from offset 0 at 0x40200000.
    { address: 0x40004678, name: 'Cache_Read_Enable', run: (cpu) => cpu.bus.mapFlash(flash.read(0, windowBytes)) },
    { address: 0x400047f0, name: 'Cache_Read_Disable', run: (cpu) => cpu.bus.unmapFlash() },
    {
      // SPIRead(flash offset, destination, length) -> 0 on success, 1 (SPI_FLASH_RESULT_ERR) otherwise.
      address: 0x40004b1c,
      name: 'SPIRead',
      run: (cpu) => {
        const [source, target, length] = [cpu.ar[2] >>> 0, cpu.ar[3] >>> 0, cpu.ar[4] >>> 0];
        if (source + length > flash.size || (target & 3) !== 0) {
          cpu.ar[2] = 1;
          return;
        }
        // whole words, as the SPI controller delivers them
        const words = new Uint8Array((length + 3) & ~3);
        words.set(flash.read(source, length));
        const view = new DataView(words.buffer);
        for (let i = 0; i < words.length; i += 4) cpu.bus.store32(target + i, view.getInt32(i, true));
        cpu.cycles += length;
        cpu.ar[2] = 0;
      },
    },
  ];
}

export function installRomFunctions(cpu: Cpu, flash?: FlashReader): void {
  for (const f of [...ROM_FUNCTIONS, ...(flash ? flashRomFunctions(flash) : [])]) cpu.defineRomRoutine(f.address, f.name, f.run);
}
