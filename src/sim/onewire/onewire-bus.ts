import type { BusDevice } from './bus-device';
import { ViolationLog } from './violations';

/** What the master's pin does to the line: pull it low, let the pull-up resistor have it, or drive it high. */
export type MasterDrive = 'low' | 'released' | 'high';

/**
 * The 1-Wire line: the wired-AND of the master's open-drain output and every device, high through the
 * pull-up resistor when nobody pulls it low. Time is virtual, in microseconds from the caller, and
 * never goes back: the bus and its devices outlive the chip's resets, so the board counts it from
 * its own power-on. Devices hear only the master's edges and are asked lazily, when the master
 * samples, whether they hold the line low.
 */
export class OneWireBus {
  private readonly attached: BusDevice[] = [];
  private drive: MasterDrive = 'released';
  private lastUs = 0;
  /** DQ shorted to ground: every sample reads low. */
  shorted = false;

  get devices(): readonly BusDevice[] {
    return this.attached;
  }

  get masterDrive(): MasterDrive {
    return this.drive;
  }

  attach(device: BusDevice): void {
    this.attached.push(device);
  }

  detach(device: BusDevice): void {
    const index = this.attached.indexOf(device);
    if (index >= 0) this.attached.splice(index, 1);
  }

  /** The master's pin changes at `us`. */
  setDrive(drive: MasterDrive, us: number): void {
    this.advanceTo(us);
    const before = this.drive;
    if (drive === before) return;
    this.drive = drive;
    for (const device of this.attached) {
      if (before === 'high') device.strongPullup(false, us);
      if (drive === 'low') device.fall(us);
      if (before === 'low') device.rise(us);
      if (drive === 'high') device.strongPullup(true, us);
    }
  }

  /** The level the master reads at `us`: 0 when anyone pulls the line low. */
  sample(us: number): 0 | 1 {
    this.advanceTo(us);
    let low = this.shorted || this.drive === 'low';
    for (const device of this.attached) {
      device.sample(us);
      if (device.pullsLow(us)) low = true;
    }
    return low ? 0 : 1;
  }

  /** Every timing violation every device has counted so far. */
  violations(): ViolationLog {
    const total = new ViolationLog();
    for (const device of this.attached) total.addAll(device.violations);
    return total;
  }

  private advanceTo(us: number): void {
    if (us < this.lastUs) throw new Error(`1-Wire time went back from ${this.lastUs} to ${us} us`);
    this.lastUs = us;
  }
}
