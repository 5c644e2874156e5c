import { hex32 } from '../../hex';
import { Cpu } from '../cpu/cpu';
import { formatFault } from '../cpu/exceptions';
import { bootFromFlash, BOOT_CPU_HZ, type RomBootResult } from '../rom/rom-boot';
import type { ResetCause } from '../loader/boot-messages';
import type { FlashReader } from './nor-flash';
import type { OneWireBus } from '../onewire/onewire-bus';
import { afterRomClocks } from '../peripherals/clocks';
import { UART_REG } from '../peripherals/uart';
import type { PadWire } from '../peripherals/pad-wire';
import { EFUSE_BASE, EFUSE_SIZE, type Efuse } from '../peripherals/efuse';
import { createPeripherals, type Peripherals } from '../peripherals/peripheral-set';
import type { WireChunk } from './serial-line';
import { watchBus } from './bus-watch';

/** The pad the board's 1-Wire line is soldered to (D2 on NodeMCU and Wemos D1 mini boards). */
export const ONE_WIRE_PAD = 4;

export interface ChipWiring {
  flash: FlashReader;
  /** The line on GPIO4's pad; it outlives the chip, so its time goes on from `busStartUs`. */
  oneWire: OneWireBus;
  busStartUs: number;
  /** The board's eFuse words (its MAC); they outlive the chip's resets like the flash. */
  efuse: Efuse;
  /** Bytes leaving UART0's TX pin, at the rate its divisor gives. */
  transmit: (chunk: WireChunk) => void;
  /** The board log: unmodelled accesses and the fault that stopped the CPU. */
  log: (message: string) => void;
}

/**
 * One power-up of the ESP8266: the LX106 core with the peripherals on its bus, UART0 on the board's
 * serial lines and GPIO4 on the 1-Wire line. A reset is a new chip (registers and RAM start over);
 * the flash and the 1-Wire line are the board's and stay.
 */
export class Esp8266Chip {
  readonly cpu: Cpu;
  readonly peripherals: Peripherals;
  private sliceEnd = 0;
  /** The cycle up to which a poll that could see no change was skipped (see bus-watch.ts). */
  private parkedUntil = -1;
  private lastBusUs: number;
  private faultReported = false;

  constructor(private readonly wiring: ChipWiring) {
    this.cpu = new Cpu();
    this.lastBusUs = wiring.busStartUs;
    this.peripherals = createPeripherals({ clocks: afterRomClocks(), transmit: wiring.transmit, report: wiring.log });
    const cpu = this.cpu;
    const devices = [...this.peripherals.mappings, { base: EFUSE_BASE, size: EFUSE_SIZE, device: wiring.efuse }];
    const mappings = watchBus(devices, this.peripherals.uart, {
      pc: () => cpu.pc,
      cycles: () => cpu.cycles,
      skipTo: (cycle) => {
        if (cycle > cpu.cycles) cpu.cycles = cycle;
        if (cycle >= this.sliceEnd) this.parkedUntil = cycle;
      },
      horizon: () => Math.min(this.sliceEnd, cpu.nextTimerCycle),
    });
    for (const mapping of mappings) cpu.bus.map(mapping);
    cpu.bus.onUnmodelled = (address, write) => wiring.log(`unmodelled ${write ? 'write to' : 'read of'} device address ${hex32(address)}`);
    this.peripherals.gpio.attach(ONE_WIRE_PAD, this.padWire(), 0);
  }

  get cpuHz(): number {
    return BOOT_CPU_HZ;
  }

  /** The bus's time now, in microseconds since the board powered up. */
  get busUs(): number {
    return this.lastBusUs;
  }

  /**
   * The mask ROM's flash boot: its text on UART0 at 74880 baud, then the image's entry. Coming from
   * the ROM's UART loader instead of a reset (`fromLoaderAt`, the rate the loader detected), there is
   * no banner and UART0 stays at that rate.
   */
  boot(cause: ResetCause, fromLoaderAt?: number): RomBootResult {
    const { uart } = this.peripherals;
    if (fromLoaderAt !== undefined) uart.write32(UART_REG.CLKDIV, Math.round(afterRomClocks().apbHz / fromLoaderAt), 0);
    const result = bootFromFlash(this.cpu, this.wiring.flash, cause, { banner: fromLoaderAt === undefined });
    // A ROM that gave up idles from here on; whatever it printed still leaves the UART.
    this.peripherals.uart.sync(result.started ? this.cpu.cycles : Infinity);
    return result;
  }

  /** Runs the program until `cycle`; false once the CPU has stopped (reported in the board log). */
  run(cycle: number): boolean {
    this.sliceEnd = cycle;
    if (this.cpu.stopped === undefined) this.cpu.run(cycle);
    this.peripherals.uart.sync(this.cpu.cycles);
    this.busTime(this.cpu.cycles);
    const fault = this.cpu.stopped;
    if (fault === undefined) return true;
    if (!this.faultReported) {
      this.faultReported = true;
      this.wiring.log(formatFault(fault));
    }
    return false;
  }

  /**
   * Whether the last run ended with the program waiting for the host: polling an empty UART (or in
   * WAITI) with nothing left to transmit. Nothing happens until bytes arrive or its own clock says so.
   */
  get idle(): boolean {
    const waiting = this.parkedUntil >= this.sliceEnd || this.cpu.waiting;
    return waiting && this.peripherals.uart.nextEventCycle() === null;
  }

  /** Bytes from the host's serial line, arriving now. */
  receive(chunk: WireChunk): void {
    this.peripherals.uart.receive(chunk, this.cpu.cycles);
  }

  /** Whether the hardware watchdog has run out (the board then resets the chip). */
  get watchdogExpired(): boolean {
    return this.peripherals.watchdog.resetRequested(this.cpu.cycles);
  }

  private busTime(cycle: number): number {
    const us = this.wiring.busStartUs + (cycle / this.cpuHz) * 1e6;
    if (us > this.lastBusUs) this.lastBusUs = us;
    return us;
  }

  private padWire(): PadWire {
    const bus = this.wiring.oneWire;
    // the GPIO block counts microseconds from this chip's reset; the line from the board's power-up
    const start = this.wiring.busStartUs;
    return {
      drive: (state, us) => {
        this.lastBusUs = Math.max(this.lastBusUs, start + us);
        bus.setDrive(state, start + us);
      },
      level: (us) => {
        this.lastBusUs = Math.max(this.lastBusUs, start + us);
        return bus.sample(start + us);
      },
    };
  }
}
