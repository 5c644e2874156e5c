/**
 * Parsers for the text the Linux w1_therm driver puts in sysfs (Documentation/w1/slaves/w1_therm.rst,
 * Documentation/ABI/testing/sysfs-driver-w1_therm, drivers/w1/slaves/w1_therm.c):
 *
 *   w1_slave:     "72 01 4b 46 7f ff 0e 10 57 : crc=57 YES\n72 01 4b 46 7f ff 0e 10 57 t=23125\n"
 *   temperature:  "23125\n"       (millidegrees Celsius)
 *   resolution:   "12\n"          (9..12 bits)
 *   ext_power:    "1\n"           (1 external supply, 0 parasite)
 *   w1_master_slaves: one device name per line, or "not found.\n" when the bus is empty
 */

export interface W1SlaveText {
  scratchpad: number[];
  crcOk: boolean;
  millidegrees: number;
}

const SLAVE_LINE1 = /^((?:[0-9a-f]{2} ){9}): crc=([0-9a-f]{2}) (YES|NO)$/i;
const SLAVE_LINE2 = /^(?:[0-9a-f]{2} ){9}t=(-?\d{1,7})$/i;

/** Parses w1_slave; returns an error message instead of throwing when the text is not in that format. */
export function parseW1Slave(text: string): W1SlaveText | { error: string } {
  const lines = text
    .split('\n')
    .map((l) => l.trim())
    .filter((l) => l.length > 0);
  if (lines.length < 2) return { error: 'w1_slave has fewer than two lines' };
  const first = SLAVE_LINE1.exec(lines[0]);
  const second = SLAVE_LINE2.exec(lines[1]);
  if (!first || !second) return { error: 'w1_slave is not in the w1_therm format' };
  const scratchpad = first[1]
    .trim()
    .split(' ')
    .map((h) => parseInt(h, 16));
  return { scratchpad, crcOk: first[3].toUpperCase() === 'YES', millidegrees: parseInt(second[1], 10) };
}

/** Parses a file holding one integer (temperature, resolution, ext_power); null when it holds anything else. */
export function parseIntegerFile(text: string): number | null {
  const trimmed = text.trim();
  if (!/^-?\d{1,7}$/.test(trimmed)) return null;
  return parseInt(trimmed, 10);
}

/** Device names listed in w1_master_slaves ("not found." means an empty bus). */
export function parseMasterSlaves(text: string): string[] {
  return text
    .split('\n')
    .map((l) => l.trim())
    .filter((l) => /^[0-9a-f]{2}-[0-9a-f]{12}$/i.test(l))
    .map((l) => l.toLowerCase());
}
