import type { ViolationLog } from './violations';

/**
 * A device on the 1-Wire line as the bus sees it: it hears the master's edges, is asked whether it
 * pulls the line low at a moment, and learns when the master samples (so that it can judge the
 * sampling time, which silicon cannot, but a data sheet can).
 */
export interface BusDevice {
  readonly violations: ViolationLog;
  /** The master started pulling the line low. */
  fall(us: number): void;
  /** The master stopped pulling low (released the line or drove it high). */
  rise(us: number): void;
  /** The master started or stopped driving the line high (a strong pull-up). */
  strongPullup(on: boolean, us: number): void;
  /** The master read the line. */
  sample(us: number): void;
  /** Whether this device holds the line low at `us`. */
  pullsLow(us: number): boolean;
}
