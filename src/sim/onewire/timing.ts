/**
 * Standard-speed 1-Wire limits the thermometers hold a bus master to, in microseconds (DS18B20 data
 * sheet, AC electrical characteristics and Figs. 13-14; the DS18S20 and DS1822 sheets give the same
 * values). The device's own answers (presence pulse, read-slot hold, write sampling point) are chosen
 * inside the ranges the data sheet allows.
 */

export const RESET_LOW_MIN_US = 480; // tRSTL
/** A parasite-powered part loses its supply when DQ stays low this long, and powers on again. */
export const PARASITE_POWER_LOSS_US = 960;
export const RESET_HIGH_MIN_US = 480; // tRSTH
export const PRESENCE_WAIT_US = { min: 15, max: 60 }; // tPDHIGH
export const PRESENCE_LOW_US = { min: 60, max: 240 }; // tPDLOW
/** Where every device that meets the two ranges above is pulling low: [max wait, min wait + min low). */
export const PRESENCE_SAMPLE_US = {
  min: PRESENCE_WAIT_US.max,
  max: PRESENCE_WAIT_US.min + PRESENCE_LOW_US.min,
};
export const SLOT_US = { min: 60, max: 120 }; // tSLOT
export const RECOVERY_MIN_US = 1; // tREC
export const WRITE1_LOW_US = { min: 1, max: 15 }; // tLOW1
export const WRITE0_LOW_US = { min: 60, max: 120 }; // tLOW0
/** The device samples a write slot between 15 and 60 us after the falling edge (typically 30). */
export const DEVICE_WRITE_SAMPLE_US = { min: 15, max: 60, typical: 30 };
export const READ_DATA_VALID_US = 15; // tRDV: the master must sample by then
/** A parasite-powered conversion or EEPROM write needs DQ driven high this soon after the command. */
export const STRONG_PULLUP_DELAY_MAX_US = 10; // tSPON

/**
 * Every limit is judged to this margin. The data sheet gives whole microseconds, and a master that
 * times slots from its cycle counter lands a few cycles past each target (the load that samples the
 * pin comes after the wait loop's last compare), which no silicon could tell from the exact value.
 */
export const TOLERANCE_US = 0.5;

/** tCONV by resolution, DS18B20 / DS1822 (the DS18S20 always takes the 12-bit figure). */
export const CONVERSION_US: Readonly<Record<number, number>> = {
  9: 93_750,
  10: 187_500,
  11: 375_000,
  12: 750_000,
};
export const EEPROM_WRITE_US = 10_000; // tWR, COPY SCRATCHPAD
