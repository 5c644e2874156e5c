/**
 * The ways a bus master can break the data sheet's timing, each named after what the device saw.
 * A device counts every one it judges; tests read the counts.
 */
export type ViolationKind =
  /** Low for longer than tLOW0 allows but shorter than tRSTL: no reset (so no presence), and a slot too long. */
  | 'reset-too-short'
  /** The next slot began less than tRSTH after a reset's release (a presence pulse may still be on). */
  | 'reset-recovery-too-short'
  /** The master sampled for presence outside the window where every device is known to pull low. */
  | 'presence-sample-outside-window'
  /** Less than tSLOT from one slot's falling edge to the next. */
  | 'slot-too-short'
  /** Less than tREC of high line before a falling edge. */
  | 'recovery-too-short'
  /** A slot's low shorter than 1 us. */
  | 'low-too-short'
  /** A write slot's low between the write-1 maximum and the write-0 minimum: the bit depends on the part. */
  | 'write-low-ambiguous'
  /** The master sampled a read slot after tRDV, when the device may already have let go. */
  | 'sample-too-late'
  /** A parasite-powered operation got its strong pull-up later than tSPON after the command, or never. */
  | 'strong-pullup-late'
  /** The strong pull-up ended before the conversion or EEPROM write did. */
  | 'strong-pullup-too-short';

export class ViolationLog {
  private readonly counts = new Map<ViolationKind, number>();

  add(kind: ViolationKind): void {
    this.counts.set(kind, (this.counts.get(kind) ?? 0) + 1);
  }

  /** How many of `kind`, or of every kind when none is named. */
  count(kind?: ViolationKind): number {
    if (kind) return this.counts.get(kind) ?? 0;
    let total = 0;
    for (const n of this.counts.values()) total += n;
    return total;
  }

  /** The kinds seen so far and their counts. */
  byKind(): Partial<Record<ViolationKind, number>> {
    return Object.fromEntries(this.counts);
  }

  /** Adds another log's counts into this one (a bus totals its devices). */
  addAll(other: ViolationLog): void {
    for (const [kind, n] of other.counts) this.counts.set(kind, (this.counts.get(kind) ?? 0) + n);
  }
}
