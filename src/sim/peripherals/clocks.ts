/**
 * The clocks peripherals run on. After the mask ROM a board with a 26 MHz crystal runs the CPU and
 * the APB bus at 52 MHz (the ROM's PLL set-up assumes a 40 MHz crystal: 80 x 26/40); programs that
 * set the PLL to 80 MHz change both. `cycle`, as peripherals get it, counts CPU clocks.
 */
import { BOOT_CPU_HZ } from '../rom/rom-boot';

export interface SocClocks {
  cpuHz: number;
  apbHz: number;
}

export function afterRomClocks(): SocClocks {
  return { cpuHz: BOOT_CPU_HZ, apbHz: BOOT_CPU_HZ };
}

/** Microseconds since power-on at `cycle`. */
export function cycleToUs(clocks: SocClocks, cycle: number): number {
  return (cycle / clocks.cpuHz) * 1e6;
}

/** How many CPU cycles `seconds` take. */
export function secondsToCycles(clocks: SocClocks, seconds: number): number {
  return seconds * clocks.cpuHz;
}
