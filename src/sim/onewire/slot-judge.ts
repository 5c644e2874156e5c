import {
  PRESENCE_SAMPLE_US,
  READ_DATA_VALID_US,
  RECOVERY_MIN_US,
  RESET_HIGH_MIN_US,
  RESET_LOW_MIN_US,
  SLOT_US,
  TOLERANCE_US,
  WRITE0_LOW_US,
  WRITE1_LOW_US,
} from './timing';
import { ViolationLog } from './violations';

/** What one low pulse of the master was, as a device tells it from its edges. */
export type Pulse =
  | { kind: 'reset'; lowUs: number }
  /** `bit` is what the device's write sampler saw: 0 when the line was still low at its sampling point. */
  | { kind: 'slot'; lowUs: number; bit: 0 | 1 };

/**
 * One device's view of the master's timing: it turns falling and rising edges into resets and time
 * slots, and counts every edge and every master sample that breaks the data sheet's limits.
 */
export class SlotJudge {
  private fallUs = Number.NaN;
  private releaseUs = Number.NEGATIVE_INFINITY;
  private previousSlotFallUs = Number.NEGATIVE_INFINITY;
  /** Release time of the last reset, until the next falling edge. */
  private resetReleaseUs: number | null = null;
  private presenceSampled = true;
  private sendingSlot = false;
  private slotSampled = true;

  constructor(
    private readonly log: ViolationLog,
    /** When, after a falling edge, this part samples a write slot. */
    private readonly writeSampleUs: number,
  ) {}

  /** A falling edge; `sending` when this device answers the slot it starts (a read slot). */
  fall(us: number, sending: boolean): void {
    if (this.resetReleaseUs !== null) {
      if (us - this.resetReleaseUs < RESET_HIGH_MIN_US - TOLERANCE_US) this.log.add('reset-recovery-too-short');
      this.resetReleaseUs = null;
    } else if (us - this.releaseUs < RECOVERY_MIN_US - TOLERANCE_US) {
      this.log.add('recovery-too-short');
    }
    if (us - this.previousSlotFallUs < SLOT_US.min - TOLERANCE_US) this.log.add('slot-too-short');
    this.fallUs = us;
    this.sendingSlot = sending;
    this.slotSampled = false;
  }

  /** A rising edge: what the low pulse that it ends was. `listening` when this device reads the slot. */
  rise(us: number, listening: boolean): Pulse {
    const lowUs = us - this.fallUs;
    this.releaseUs = us;
    if (lowUs >= RESET_LOW_MIN_US - TOLERANCE_US) {
      this.resetReleaseUs = us;
      this.presenceSampled = false;
      this.previousSlotFallUs = Number.NEGATIVE_INFINITY;
      return { kind: 'reset', lowUs };
    }
    this.previousSlotFallUs = this.fallUs;
    if (lowUs < WRITE1_LOW_US.min - TOLERANCE_US) this.log.add('low-too-short');
    else if (lowUs > WRITE0_LOW_US.max + TOLERANCE_US) this.log.add('reset-too-short');
    else if (listening && lowUs > WRITE1_LOW_US.max + TOLERANCE_US && lowUs < WRITE0_LOW_US.min - TOLERANCE_US) {
      this.log.add('write-low-ambiguous');
    }
    return { kind: 'slot', lowUs, bit: lowUs > this.writeSampleUs ? 0 : 1 };
  }

  /**
   * The master sampled the line. The first sample after a reset is its presence detect; the first
   * one in a slot this device answers is its read.
   */
  sample(us: number): void {
    if (this.resetReleaseUs !== null) {
      if (this.presenceSampled) return;
      this.presenceSampled = true;
      const afterRelease = us - this.resetReleaseUs;
      if (afterRelease < PRESENCE_SAMPLE_US.min - TOLERANCE_US || afterRelease > PRESENCE_SAMPLE_US.max + TOLERANCE_US) {
        this.log.add('presence-sample-outside-window');
      }
      return;
    }
    if (!this.sendingSlot || this.slotSampled) return;
    this.slotSampled = true;
    if (us - this.fallUs > READ_DATA_VALID_US + TOLERANCE_US) this.log.add('sample-too-late');
  }
}
