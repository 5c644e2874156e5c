/** What a pad does to the wire outside the chip: pull it low, leave it (high impedance), or drive it high. */
export type PadDrive = 'low' | 'released' | 'high';

/** Something wired to a pad of the chip (the 1-Wire line on GPIO4, a button, a strap resistor). */
export interface PadWire {
  /** The pad's output changed at `us` (microseconds since power-on). */
  drive(state: PadDrive, us: number): void;
  /** The level on the wire at `us`, with the pad's own drive included. */
  level(us: number): 0 | 1;
}
