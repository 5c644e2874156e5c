/**
 * What the mask ROM does between reset and the program's first instruction, for a v1 image
 * at flash offset 0: print its banner and load log on UART0 (at 74880 Bd, CLKDIV 694 on a
 * 52 MHz clock), check the header, copy each segment into IRAM or DRAM, verify the checksum,
 * and call the entry with the registers as the ROM leaves them (DIS, WIKI Boot-Process in
 * ../shared/reference/esp8266-emulation.md): PS = 0x20, a1 on the ROM's stack, a0 a return
 * address into the ROM, VECBASE = 0x40000000, INTENABLE = 0, ticks per µs = 80.
 */
import { hex32 } from '../../hex';
import { bootBanner, BootMode, loadImageFromFlash, ResetCause } from '../loader/boot-messages';
import type { FlashReader } from '../board/nor-flash';
import type { Cpu } from '../cpu/cpu';
import { DRAM, IRAM, ROM_STACK_TOP, ROM_TICKS_PER_US, UART0_BASE, contains } from '../cpu/memory-map';
import { installRomFunctions } from './rom-functions';

/** The CPU clock the ROM leaves: its PLL setup assumes a 40 MHz crystal, boards have 26 MHz. */
export const BOOT_CPU_HZ = 52_000_000;
const ROM_INITIAL_TICKS_PER_US = 80;
const BOOT_PS = 0x20;
/**
 * The ROM's main has used some of its stack by the time it calls the entry; the exact depth
 * is not published, so the program starts this far below the top (the layout above is the ROM's).
 */
const ROM_STACK_IN_USE = 0x40;
/** Where the entry returns to: "user code done" in the ROM, which then idles in ets_run. */
export const ROM_USER_CODE_DONE = 0x40000fd0;

export interface RomBootResult {
  /** What the ROM printed. */
  log: string;
  /** True when the program was loaded and the CPU points at its entry. */
  started: boolean;
  entry?: number;
}

export interface RomBootOptions {
  /** False when the ROM comes from its UART loader ("run user code"): no reset, so no banner. */
  banner?: boolean;
}

export function bootFromFlash(
  cpu: Cpu,
  flash: FlashReader,
  cause: ResetCause = ResetCause.POWER_ON,
  options: RomBootOptions = {},
): RomBootResult {
  cpu.reset();
  installRomFunctions(cpu, flash);
  cpu.defineRomRoutine(ROM_USER_CODE_DONE, 'user code done', (c) => c.stop('the program returned to the ROM ("user code done")'));
  cpu.bus.store32(ROM_TICKS_PER_US, ROM_INITIAL_TICKS_PER_US);
  const print = (text: string): void => {
    for (let i = 0; i < text.length; i++) cpu.bus.store32(UART0_BASE, text.charCodeAt(i));
  };
  if (options.banner !== false) print(bootBanner(cause, BootMode.FLASH));
  const loaded = loadImageFromFlash(flash);
  if (!loaded.image) {
    print(loaded.log);
    return { log: loaded.log, started: false };
  }
  const image = loaded.image;
  const view = new DataView(image.buffer, image.byteOffset, image.byteLength);
  let offset = 8;
  for (let segment = 0; segment < image[1]; segment++) {
    const address = view.getUint32(offset, true);
    const length = view.getUint32(offset + 4, true);
    const fits = (contains(IRAM, address) && address + length <= IRAM.end) || (contains(DRAM, address) && address + length <= DRAM.end);
    if (!fits) {
      const log = `${loaded.log}segment ${segment} at ${hex32(address)}+${length} is outside IRAM and DRAM\r\nets_main.c \r\n`;
      print(log);
      return { log, started: false };
    }
    cpu.bus.writeBytes(address, image.subarray(offset + 8, offset + 8 + length));
    offset += 8 + length;
  }
  print(loaded.log);
  const entry = view.getUint32(4, true);
  cpu.ar[0] = ROM_USER_CODE_DONE;
  cpu.ar[1] = ROM_STACK_TOP - ROM_STACK_IN_USE;
  cpu.processorState = BOOT_PS;
  cpu.pc = cpu.npc = entry;
  return { log: loaded.log, started: true, entry };
}
