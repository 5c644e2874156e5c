import type { Peripheral } from '../cpu/peripheral';
import { GPIO_BASE } from '../cpu/memory-map';
import { cycleToUs, type SocClocks } from './clocks';
import type { IoMux } from './io-mux';
import type { PadDrive, PadWire } from './pad-wire';
import type { UnmodelledLog } from './unmodelled';

/**
 * GPIO (0x60000300), from the SDK's `eagle_soc.h` and esp-open-rtos `gpio_regs.h`: OUT and ENABLE with
 * their write-1-to-set/clear twins, IN (pad levels, and at [18:16] the boot straps latched at reset),
 * and one PINn register per pin whose bit 2 makes the pad driver open drain. A pad drives only while
 * IO_MUX selects its GPIO function. What is wired to a pad outside the chip (the 1-Wire line on GPIO4)
 * hears each change of the pad's drive and gives the level IN reads.
 */

/** The strapping pins' levels at the last external reset: GPIO15, GPIO0, GPIO2 give the boot mode. */
export interface Straps {
  gpio0: 0 | 1;
  gpio2: 0 | 1;
  gpio15: 0 | 1;
}

/** Flash boot: GPIO0 and GPIO2 high, GPIO15 low, as the module's resistors hold them. */
export const FLASH_BOOT_STRAPS: Straps = { gpio0: 1, gpio2: 1, gpio15: 0 };

const PIN_COUNT = 16;
const PIN_MASK = 0xffff;
/** Register offsets from the block's base. */
export const GPIO_REG = {
  OUT: 0x00,
  OUT_W1TS: 0x04,
  OUT_W1TC: 0x08,
  ENABLE: 0x0c,
  ENABLE_W1TS: 0x10,
  ENABLE_W1TC: 0x14,
  IN: 0x18,
  STATUS: 0x1c,
  STATUS_W1TS: 0x20,
  STATUS_W1TC: 0x24,
  /** PINn is at PIN0 + 4n. */
  PIN0: 0x28,
} as const;
const { OUT, OUT_W1TS, OUT_W1TC, ENABLE, ENABLE_W1TS, ENABLE_W1TC, IN, STATUS, STATUS_W1TS, STATUS_W1TC, PIN0 } = GPIO_REG;
const PIN_LAST = PIN0 + 4 * (PIN_COUNT - 1);
const PIN_PAD_DRIVER_OPEN_DRAIN = 1 << 2;
const PIN_INT_TYPE = 7 << 7;

export class Gpio implements Peripheral {
  readonly name = 'GPIO';
  private out = 0;
  private enable = 0;
  private status = 0;
  private readonly pins = new Uint32Array(PIN_COUNT);
  private readonly wires = new Map<number, PadWire>();
  private readonly drives: PadDrive[] = new Array<PadDrive>(PIN_COUNT).fill('released');
  private strapBits: number;

  constructor(
    private readonly clocks: SocClocks,
    private readonly ioMux: IoMux,
    private readonly unmodelled: UnmodelledLog,
    straps: Straps = FLASH_BOOT_STRAPS,
    private readonly base = GPIO_BASE,
  ) {
    this.strapBits = strapBitsOf(straps);
    ioMux.onChange = (cycle) => this.route(cycle);
  }

  /**
   * Wires something to GPIO `pin`'s pad at `cycle`, and tells it what the pad does now (released,
   * after a reset), so that a chip reset lets go of a line the previous run held low. The wire
   * outlives the chip's resets, so `cycle` must keep counting across them.
   */
  attach(pin: number, wire: PadWire, cycle = 0): void {
    this.wires.set(pin, wire);
    wire.drive(this.drives[pin], cycleToUs(this.clocks, cycle));
  }

  /** What GPIO `pin`'s pad does now. */
  padDrive(pin: number): PadDrive {
    return this.drives[pin];
  }

  /** Latches the straps at an external reset (the ROM reads them from IN[18:16]). */
  latchStraps(straps: Straps): void {
    this.strapBits = strapBitsOf(straps);
  }

  read32(offset: number, cycle: number): number {
    switch (offset) {
      case OUT:
        return this.out;
      case ENABLE:
        return this.enable;
      case IN:
        return this.readIn(cycle);
      case STATUS:
        return this.status;
      case OUT_W1TS:
      case OUT_W1TC:
      case ENABLE_W1TS:
      case ENABLE_W1TC:
      case STATUS_W1TS:
      case STATUS_W1TC:
        return 0; // write-only
      default:
        if (offset >= PIN0 && offset <= PIN_LAST) return this.pins[(offset - PIN0) / 4];
        this.unmodelled.access(this.name, this.base + offset, 'read');
        return 0;
    }
  }

  write32(offset: number, value: number, cycle: number): void {
    switch (offset) {
      case OUT:
        this.out = value & PIN_MASK;
        break;
      case OUT_W1TS:
        this.out |= value & PIN_MASK;
        break;
      case OUT_W1TC:
        this.out &= ~value & PIN_MASK;
        break;
      case ENABLE:
        this.enable = value & PIN_MASK;
        break;
      case ENABLE_W1TS:
        this.enable |= value & PIN_MASK;
        break;
      case ENABLE_W1TC:
        this.enable &= ~value & PIN_MASK;
        break;
      case STATUS:
        this.status = value & PIN_MASK;
        return;
      case STATUS_W1TS:
        this.status |= value & PIN_MASK;
        return;
      case STATUS_W1TC:
        this.status &= ~value & PIN_MASK;
        return;
      case IN:
        return; // read-only
      default:
        if (offset >= PIN0 && offset <= PIN_LAST) {
          // Pin interrupts are not modelled: a program that asks for one is named in the board log.
          if (value & PIN_INT_TYPE) this.unmodelled.access(`${this.name} pin interrupt`, this.base + offset, 'write', value);
          this.pins[(offset - PIN0) / 4] = value;
          break;
        }
        this.unmodelled.access(this.name, this.base + offset, 'write', value);
        return;
    }
    this.route(cycle);
  }

  /** Works out each pad's drive and tells the wires whose drive changed. */
  private route(cycle: number): void {
    for (let pin = 0; pin < PIN_COUNT; pin++) {
      const drive = this.driveOf(pin);
      if (drive === this.drives[pin]) continue;
      this.drives[pin] = drive;
      this.wires.get(pin)?.drive(drive, cycleToUs(this.clocks, cycle));
    }
  }

  private driveOf(pin: number): PadDrive {
    const bit = 1 << pin;
    if (!(this.enable & bit) || !this.ioMux.isGpio(pin)) return 'released';
    if (!(this.out & bit)) return 'low';
    return this.pins[pin] & PIN_PAD_DRIVER_OPEN_DRAIN ? 'released' : 'high';
  }

  private readIn(cycle: number): number {
    const us = cycleToUs(this.clocks, cycle);
    let levels = 0;
    for (let pin = 0; pin < PIN_COUNT; pin++) {
      if (this.levelOf(pin, us)) levels |= 1 << pin;
    }
    return (levels | (this.strapBits << 16)) >>> 0;
  }

  /**
   * A wired pad reads its wire. Otherwise a driven pad reads what it drives; a released one reads
   * its pull resistor, the module's strap resistor (GPIO0/2 high, GPIO15 low), or 0 when floating.
   */
  private levelOf(pin: number, us: number): 0 | 1 {
    const wire = this.wires.get(pin);
    if (wire) return wire.level(us);
    const drive = this.drives[pin];
    if (drive !== 'released') return drive === 'high' ? 1 : 0;
    const pull = this.ioMux.pull(pin);
    if (pull !== 'none') return pull === 'up' ? 1 : 0;
    if (pin === 0 || pin === 2) return 1;
    return 0;
  }
}

/** IN[18:16] as the ROM reads the boot mode: (GPIO15 << 2) | (GPIO0 << 1) | GPIO2. */
function strapBitsOf(straps: Straps): number {
  return (straps.gpio15 << 2) | (straps.gpio0 << 1) | straps.gpio2;
}
