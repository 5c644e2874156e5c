import { Reading } from '../onewire/reading';

/** The DS18S20 (family 10h) has no configuration register: its 9 bits cannot be changed. */
const FIXED_FAMILIES = new Set(['10']);

/**
 * Names each sensor whose resolution cannot be set, once: the readings of a cycle go in, the idents
 * not named before come out.
 */
export class FixedResolutionNotes {
  private readonly named = new Set<string>();

  newlyFixed(readings: Reading[]): string[] {
    const fresh: string[] = [];
    for (const reading of readings) {
      if (!FIXED_FAMILIES.has(reading.ident.slice(0, 2)) || this.named.has(reading.ident)) continue;
      this.named.add(reading.ident);
      fresh.push(reading.ident);
    }
    return fresh;
  }
}
