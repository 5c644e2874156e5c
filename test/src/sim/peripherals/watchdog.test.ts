import { strict as assert } from 'assert';
import { afterRomClocks } from '../../../../src/sim/peripherals/clocks';
import { UnmodelledLog } from '../../../../src/sim/peripherals/unmodelled';
import { Watchdog, WDT_FEED_MAGIC } from '../../../../src/sim/peripherals/watchdog';

const CTL = 0x00;
const RELOAD_STAGE0 = 0x04;
const RELOAD_STAGE1 = 0x08;
const FEED = 0x14;
const CYCLES_PER_MS = 52_000;

function near(actual: number | null, expected: number): void {
  assert.ok(actual !== null && Math.abs(actual - expected) < 1, `${actual} is not ${expected}`);
}

function setUp(): Watchdog {
  const wdt = new Watchdog(afterRomClocks(), new UnmodelledLog());
  wdt.write32(RELOAD_STAGE0, 10, 0); // 2^10 x 0.8 ms = 819.2 ms
  wdt.write32(RELOAD_STAGE1, 9, 0); // 409.6 ms
  return wdt;
}

describe('virtual watchdog', () => {
  it('never resets the chip while disabled, as the ROM leaves it', () => {
    const wdt = setUp();
    assert.equal(wdt.resetDueCycle(), null);
    assert.equal(wdt.resetRequested(1e12), false);
  });

  it('raises its interrupt after stage 0 and requests a reset after stage 1 when not fed', () => {
    const wdt = setUp();
    const start = 1000;
    wdt.write32(CTL, 1, start);
    assert.equal(wdt.interruptPending(start + 819 * CYCLES_PER_MS), false);
    assert.equal(wdt.interruptPending(start + 820 * CYCLES_PER_MS), true);
    const due = start + 1228.8 * CYCLES_PER_MS;
    near(wdt.resetDueCycle(), due);
    assert.equal(wdt.resetRequested(due - 2), false);
    assert.equal(wdt.resetRequested(due + 1), true);
  });

  it('starts over when fed with 73h, and ignores other values', () => {
    const wdt = setUp();
    wdt.write32(CTL, 1, 0);
    wdt.write32(FEED, 0x12, 500 * CYCLES_PER_MS);
    near(wdt.resetDueCycle(), 1228.8 * CYCLES_PER_MS);
    wdt.write32(FEED, WDT_FEED_MAGIC, 1000 * CYCLES_PER_MS);
    near(wdt.resetDueCycle(), 2228.8 * CYCLES_PER_MS);
  });

  it('does not reset when stage 1 is set not to, and stops when the firmware clears bit 0', () => {
    const wdt = setUp();
    wdt.write32(CTL, 1 | (1 << 1), 0);
    assert.equal(wdt.resetDueCycle(), null);
    wdt.write32(CTL, 1, 0);
    wdt.write32(CTL, wdt.read32(CTL) & ~1, 0);
    wdt.write32(FEED, WDT_FEED_MAGIC, 0);
    assert.equal(wdt.enabled, false);
    assert.equal(wdt.resetDueCycle(), null);
  });
});
