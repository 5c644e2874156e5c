import { crc8 } from '../../../../src/onewire/crc8';
import type { OneWireBus } from '../../../../src/sim/onewire/onewire-bus';
import { GPIO_REG, type Gpio } from '../../../../src/sim/peripherals/gpio';

/**
 * A 1-Wire master that does, step for step and cycle-counted, what the firmware's
 * `platform/esp8266/onewire_gpio.c` and `src/onewire.c` do on the chip: the pin is open drain by
 * ENABLE with the output latch at 0, every wait is `cpu_wait_until(start, us)` on the cycle counter
 * with the firmware's CPU_MHZ, and each register access costs a few cycles, as the compiled loads and
 * stores (with their memw) do.
 */

/** Cycles of one `memw; s32i` or `memw; l32i` to a GPIO register. */
const ACCESS_CYCLES = 3;
/** Cycles of one turn of the wait loop: rsr.ccount, sub, compare and branch. */
const WAIT_LOOP_CYCLES = 4;

export type ResetResult = 'presence' | 'empty' | 'short';

/** The four GPIO registers the firmware's bit-banging touches, for its one pin, at a cycle. */
export interface MasterPin {
  enable(on: boolean, cycle: number): void;
  output(high: boolean, cycle: number): void;
  level(cycle: number): 0 | 1;
}

/** The pin straight on the bus (ENABLE and OUT as the pad would turn them into a drive). */
export function busPin(bus: OneWireBus, cpuHz = 52e6): MasterPin {
  let enabled = false;
  let high = false;
  const us = (cycle: number) => (cycle / cpuHz) * 1e6;
  const apply = (cycle: number) => bus.setDrive(enabled ? (high ? 'high' : 'low') : 'released', us(cycle));
  return {
    enable: (on, cycle) => {
      enabled = on;
      apply(cycle);
    },
    output: (on, cycle) => {
      high = on;
      apply(cycle);
    },
    level: (cycle) => bus.sample(us(cycle)),
  };
}

/** The pin through the GPIO block's registers, as onewire_gpio.c drives it. */
export function gpioRegisterPin(gpio: Gpio, pin: number): MasterPin {
  return {
    enable: (on, cycle) => gpio.write32(on ? GPIO_REG.ENABLE_W1TS : GPIO_REG.ENABLE_W1TC, 1 << pin, cycle),
    output: (high, cycle) => gpio.write32(high ? GPIO_REG.OUT_W1TS : GPIO_REG.OUT_W1TC, 1 << pin, cycle),
    level: (cycle) => ((gpio.read32(GPIO_REG.IN, cycle) >> pin) & 1) as 0 | 1,
  };
}

export class FirmwareGpioMaster {
  cycle = 0;
  private readonly pin: MasterPin;

  constructor(
    bus: OneWireBus | MasterPin,
    /** The clock the CPU really runs at. */
    private readonly cpuHz = 52e6,
    /** The CPU_MHZ the firmware was built with. */
    private readonly firmwareMhz = 52,
  ) {
    this.pin = 'setDrive' in bus ? busPin(bus, cpuHz) : bus;
  }

  get us(): number {
    return (this.cycle / this.cpuHz) * 1e6;
  }

  /**
   * start.c's board_sleep_ms: its clock counts whole milliseconds of cycles since start-up, so the
   * wait ends at the millisecond boundary `ms` ticks on, which is up to 1 ms sooner than `ms` after
   * a call made in the middle of a millisecond.
   */
  sleepMs(ms: number): void {
    const perMs = this.firmwareMhz * 1000;
    const start = Math.floor(this.cycle / perMs);
    this.cycle = Math.max(this.cycle, (start + ms) * perMs) + WAIT_LOOP_CYCLES;
  }

  // --- platform/esp8266/onewire_gpio.c

  reset(): ResetResult {
    this.lineRelease();
    let start = this.cycles();
    this.waitUntil(start, 5);
    if (!this.lineLevel()) return 'short';
    start = this.cycles();
    this.lineLow();
    this.waitUntil(start, 480);
    this.cycle += 1; // rsil
    start = this.cycles();
    this.lineRelease();
    this.waitUntil(start, 70);
    const presence = !this.lineLevel();
    this.cycle += 2; // wsr.ps; rsync
    this.waitUntil(start, 480);
    if (!this.lineLevel()) return 'short';
    return presence ? 'presence' : 'empty';
  }

  touchBit(bit: number): 0 | 1 {
    this.cycle += 1; // rsil
    const start = this.cycles();
    this.lineLow();
    let level: 0 | 1 = 0;
    if (bit) {
      this.waitUntil(start, 6);
      this.lineRelease();
      this.waitUntil(start, 15);
      level = this.lineLevel();
    } else {
      this.waitUntil(start, 60);
      this.lineRelease();
    }
    this.cycle += 2;
    this.waitUntil(start, 70);
    return level;
  }

  writeBitPullup(bit: number): void {
    this.cycle += 1;
    const start = this.cycles();
    this.lineLow();
    this.waitUntil(start, bit ? 6 : 60);
    this.outHigh();
    this.cycle += 2;
    this.waitUntil(start, 70);
  }

  endPullup(): void {
    this.lineRelease();
    this.access();
    this.pin.output(false, this.cycle);
  }

  // --- src/onewire.c

  writeByte(value: number): void {
    for (let i = 0; i < 8; i++) this.touchBit((value >> i) & 1);
  }

  writeBytePullup(value: number): void {
    for (let i = 0; i < 7; i++) this.touchBit((value >> i) & 1);
    this.writeBitPullup((value >> 7) & 1);
  }

  readByte(): number {
    let value = 0;
    for (let i = 0; i < 8; i++) if (this.touchBit(1)) value |= 1 << i;
    return value;
  }

  readBytes(count: number): Uint8Array {
    return Uint8Array.from({ length: count }, () => this.readByte());
  }

  /** Reset, then MATCH ROM `rom` or SKIP ROM. */
  select(rom: Uint8Array | null): ResetResult {
    const result = this.reset();
    if (result !== 'presence') return result;
    if (rom === null) {
      this.writeByte(0xcc);
    } else {
      this.writeByte(0x55);
      rom.forEach((b) => this.writeByte(b));
    }
    return result;
  }

  /** ow_search_next: every id on the bus, in AN187 order, or why the search stopped. */
  searchAll(command = 0xf0): { roms: Uint8Array[]; stop: string } {
    const roms: Uint8Array[] = [];
    const rom = new Uint8Array(8);
    let lastDiscrepancy = 0;
    for (;;) {
      const reset = this.reset();
      if (reset !== 'presence') return { roms, stop: reset };
      this.writeByte(command);
      let lastZero = 0;
      for (let bit = 1; bit <= 64; bit++) {
        const id = this.touchBit(1);
        const complement = this.touchBit(1);
        if (id && complement) return { roms, stop: 'lost' };
        let direction: number;
        if (id !== complement) direction = id;
        else if (bit < lastDiscrepancy) direction = (rom[(bit - 1) >> 3] >> ((bit - 1) & 7)) & 1;
        else direction = bit === lastDiscrepancy ? 1 : 0;
        if (!id && !complement && !direction) lastZero = bit;
        const mask = 1 << ((bit - 1) & 7);
        rom[(bit - 1) >> 3] = direction ? rom[(bit - 1) >> 3] | mask : rom[(bit - 1) >> 3] & ~mask;
        this.touchBit(direction);
      }
      if (crc8(rom) !== 0) return { roms, stop: 'crc' };
      roms.push(rom.slice());
      lastDiscrepancy = lastZero;
      if (lastZero === 0) return { roms, stop: 'done' };
    }
  }

  // --- the pin

  private cycles(): number {
    this.cycle += 1; // rsr.ccount
    return this.cycle;
  }

  private waitUntil(start: number, us: number): void {
    const target = us * this.firmwareMhz;
    const elapsed = this.cycle - start;
    if (elapsed < target) this.cycle += Math.ceil((target - elapsed) / WAIT_LOOP_CYCLES) * WAIT_LOOP_CYCLES;
  }

  private access(): void {
    this.cycle += ACCESS_CYCLES;
  }

  private lineLow(): void {
    this.access();
    this.pin.enable(true, this.cycle);
  }

  private lineRelease(): void {
    this.access();
    this.pin.enable(false, this.cycle);
  }

  private outHigh(): void {
    this.access();
    this.pin.output(true, this.cycle);
  }

  private lineLevel(): 0 | 1 {
    this.access();
    return this.pin.level(this.cycle);
  }
}
