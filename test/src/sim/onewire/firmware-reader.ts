import { decodeScratchpad, ScratchpadResult } from '../../../../src/onewire/scratchpad';
import type { FirmwareGpioMaster } from './gpio-master';

/** The conversion wait the firmware uses (ds18x20.c ds_conversion_ms), by family and resolution. */
function conversionMs(family: number, resolution: number): number {
  if (family === 0x10) return 750;
  return ({ 9: 94, 10: 188, 11: 375 } as Record<number, number>)[resolution] ?? 750;
}

export interface FirmwareReading {
  rom: Uint8Array;
  parasite: boolean;
  result: ScratchpadResult;
}

/**
 * One read cycle as the firmware's bridge_sensors.c runs it: search the bus, ask each part for its
 * power supply, convert all at once (with the strong pull-up for the whole time when any part is
 * parasite-powered, otherwise polling read slots until the parts are done), then read and decode
 * each scratchpad. `parasiteMarginMs` is added to the strong pull-up's wait (0 is what the firmware
 * does today).
 */
export function readLikeFirmware(master: FirmwareGpioMaster, resolution = 12, parasiteMarginMs = 1): FirmwareReading[] {
  const { roms } = master.searchAll();
  const parasite = roms.map((rom) => {
    if (master.select(rom) !== 'presence') return false;
    master.writeByte(0xb4);
    return master.touchBit(1) === 0;
  });
  const limit = Math.max(0, ...roms.map((rom) => conversionMs(rom[0], resolution)));
  if (master.select(null) === 'presence') {
    if (parasite.some((p) => p)) {
      master.writeBytePullup(0x44);
      // One millisecond more than bridge_sensors.c sleeps: sleep_ms(limit) can end up to 1 ms short
      // of tCONV (see the test "holds the strong pull-up ... short of tCONV").
      master.sleepMs(limit + parasiteMarginMs);
      master.endPullup();
    } else {
      master.writeByte(0x44);
      let waited = 0;
      while (!master.touchBit(1) && waited <= limit + limit / 10) {
        master.sleepMs(1);
        waited += 1;
      }
    }
  }
  return roms.map((rom, i) => {
    master.select(rom);
    master.writeByte(0xbe);
    return { rom, parasite: parasite[i], result: decodeScratchpad(rom[0], master.readBytes(9)) };
  });
}
