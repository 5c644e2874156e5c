import type { Peripheral } from '../cpu/peripheral';
import { WATCHDOG_BASE } from '../cpu/memory-map';
import { secondsToCycles, type SocClocks } from './clocks';
import type { UnmodelledLog } from './unmodelled';

/**
 * The hardware watchdog (0x60000900; register names from esp-open-rtos `wdt_regs.h` and Cesanta's
 * `esp_hw_wdt_register.h`): CTL bit 0 enables it, writing 73h to FEED restarts it. Once enabled and
 * not fed, stage 0 runs out and raises the WDT interrupt (number 8), then stage 1 runs out and resets
 * the chip, unless CTL bit 1 (stage 1 does not reset) or bit 2 (stage 1 disabled) is set. Each stage
 * lasts 2^reload ticks of 0.8 ms (the watchdog clock is the 40 MHz reference / 32000), reload being
 * the low 4 bits of RELOAD_STAGE0/1. Their reset values are not documented; 11 (1.6 s) is assumed.
 * The ROM's boot path never enables it.
 */

const CTL = 0x00;
const RELOAD_STAGE0 = 0x04;
const RELOAD_STAGE1 = 0x08;
const FEED = 0x14;
export const WDT_FEED_MAGIC = 0x73;
const CTL_ENABLE = 1 << 0;
const CTL_STAGE1_NO_RESET = 1 << 1;
const CTL_STAGE1_DISABLE = 1 << 2;
const TICK_SECONDS = 0.0008;
const ASSUMED_RESET_RELOAD = 11;

export class Watchdog implements Peripheral {
  readonly name = 'WDT';
  private ctl = 0;
  private reload0 = ASSUMED_RESET_RELOAD;
  private reload1 = ASSUMED_RESET_RELOAD;
  private fedAt = 0;

  constructor(
    private readonly clocks: SocClocks,
    private readonly unmodelled: UnmodelledLog,
    private readonly base = WATCHDOG_BASE,
  ) {}

  get enabled(): boolean {
    return (this.ctl & CTL_ENABLE) !== 0;
  }

  /** The cycle at which the watchdog resets the chip if nobody feeds it, or null if it never will. */
  resetDueCycle(): number | null {
    if (!this.enabled || this.ctl & (CTL_STAGE1_NO_RESET | CTL_STAGE1_DISABLE)) return null;
    return this.stage0EndCycle() + this.stageCycles(this.reload1);
  }

  /** Whether the watchdog has reset the chip by `cycle`; the board then resets it as on silicon. */
  resetRequested(cycle: number): boolean {
    const due = this.resetDueCycle();
    return due !== null && cycle >= due;
  }

  /** Whether stage 0 has run out by `cycle` (the WDT interrupt). */
  interruptPending(cycle: number): boolean {
    return this.enabled && cycle >= this.stage0EndCycle();
  }

  read32(offset: number): number {
    switch (offset) {
      case CTL:
        return this.ctl;
      case RELOAD_STAGE0:
        return this.reload0;
      case RELOAD_STAGE1:
        return this.reload1;
      case FEED:
        return 0;
      default:
        this.unmodelled.access(this.name, this.base + offset, 'read');
        return 0;
    }
  }

  write32(offset: number, value: number, cycle: number): void {
    switch (offset) {
      case CTL:
        if (value & CTL_ENABLE && !this.enabled) this.fedAt = cycle;
        this.ctl = value;
        break;
      case RELOAD_STAGE0:
        this.reload0 = value & 0xf;
        break;
      case RELOAD_STAGE1:
        this.reload1 = value & 0xf;
        break;
      case FEED:
        if (value === WDT_FEED_MAGIC) this.fedAt = cycle;
        break;
      default:
        this.unmodelled.access(this.name, this.base + offset, 'write', value);
    }
  }

  private stage0EndCycle(): number {
    return this.fedAt + this.stageCycles(this.reload0);
  }

  private stageCycles(reload: number): number {
    return secondsToCycles(this.clocks, 2 ** reload * TICK_SECONDS);
  }
}
