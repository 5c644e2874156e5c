import { hex } from '../../hex';
import { crc8 } from '../../onewire/crc8';
import { configForResolution, resolutionFromConfig } from '../../onewire/scratchpad';
import { CONVERSION_US } from './timing';

/**
 * The scratchpad and EEPROM of a 1-Wire thermometer, as the DS18B20, DS1822 and DS18S20 data sheets
 * describe them: [0] T LSB, [1] T MSB, [2] TH, [3] TL, [4] config (DS18S20: FFh), [5] FFh,
 * [6] reserved (DS18S20: COUNT_REMAIN), [7] 10h (DS18S20: COUNT_PER_C), [8] CRC of bytes 0-7.
 */

export type ThermometerModel = 'DS18B20' | 'DS18S20' | 'DS1822';

export const MODEL_FAMILY: Readonly<Record<ThermometerModel, number>> = { DS18S20: 0x10, DS1822: 0x22, DS18B20: 0x28 };

export function modelOfFamily(family: number): ThermometerModel {
  const found = (Object.keys(MODEL_FAMILY) as ThermometerModel[]).find((m) => MODEL_FAMILY[m] === family);
  if (!found) throw new Error(`family ${hex(family)} is not a DS18B20, DS18S20 or DS1822`);
  return found;
}

/** The nonvolatile alarm and configuration bytes; the DS18S20 has no configuration register. */
export interface EepromContents {
  th: number;
  tl: number;
  config: number;
}

/** TH 75 °C, TL 70 °C, 12 bits: what parts typically leave the factory with. */
export const FACTORY_EEPROM: EepromContents = { th: 0x4b, tl: 0x46, config: 0x7f };

const MIN_C = -55;
const MAX_C = 125;
/** 85 °C, the temperature register's power-on value (DS18S20: 0.5 °C steps). */
const POWER_ON_RAW = 0x0550;
const DS18S20_POWER_ON_RAW = 0x00aa;
/** Byte 6 at power-on; the Linux driver reads 85 °C with 0Ch there as "never converted". */
const POWER_ON_BYTE6 = 0x0c;
const COUNT_PER_C = 0x10;

function signedByte(value: number): number {
  return (value << 24) >> 24;
}

export class ThermometerMemory {
  readonly eeprom: EepromContents;
  private raw = 0;
  private byte6 = POWER_ON_BYTE6;
  private th = 0;
  private tl = 0;
  private config = 0;
  /** Set by each conversion, per the data sheet's alarm signalling; ALARM SEARCH answers only then. */
  alarm = false;

  constructor(
    readonly model: ThermometerModel,
    eeprom: EepromContents = FACTORY_EEPROM,
  ) {
    this.eeprom = { ...eeprom, config: this.normaliseConfig(eeprom.config) };
    this.powerOn();
  }

  get hasConfigRegister(): boolean {
    return this.model !== 'DS18S20';
  }

  /** How many bytes WRITE SCRATCHPAD takes: TH, TL and (not on the DS18S20) the configuration. */
  get writableBytes(): number {
    return this.hasConfigRegister ? 3 : 2;
  }

  get resolution(): number {
    return this.hasConfigRegister ? resolutionFromConfig(this.config) : 9;
  }

  /** tCONV for the configured resolution (the DS18S20 takes the full 750 ms for its 9 bits). */
  get conversionUs(): number {
    return CONVERSION_US[this.hasConfigRegister ? this.resolution : 12];
  }

  /** Power-on: 85 °C in the temperature register, TH/TL/config recalled from EEPROM. */
  powerOn(): void {
    this.raw = this.model === 'DS18S20' ? DS18S20_POWER_ON_RAW : POWER_ON_RAW;
    this.byte6 = POWER_ON_BYTE6;
    this.alarm = false;
    this.recall();
  }

  recall(): void {
    this.th = this.eeprom.th;
    this.tl = this.eeprom.tl;
    this.config = this.eeprom.config;
  }

  /** COPY SCRATCHPAD, once the EEPROM write time has passed. */
  copy(): void {
    this.eeprom.th = this.th;
    this.eeprom.tl = this.tl;
    this.eeprom.config = this.config;
  }

  /** The `index`th byte of WRITE SCRATCHPAD (0 = TH, 1 = TL, 2 = config). */
  write(index: number, value: number): void {
    if (index === 0) this.th = value & 0xff;
    else if (index === 1) this.tl = value & 0xff;
    else if (index === 2 && this.hasConfigRegister) this.config = this.normaliseConfig(value);
  }

  /** The end of CONVERT T: the temperature register, byte 6 and the alarm flag. */
  convert(celsius: number): void {
    const clamped = Math.min(MAX_C, Math.max(MIN_C, celsius));
    let whole: number;
    if (this.model === 'DS18S20') {
      // 0.5 °C steps, with COUNT_REMAIN chosen so that the data sheet's extended-resolution formula,
      // T = TEMP_READ - 0.25 + (COUNT_PER_C - COUNT_REMAIN) / COUNT_PER_C, gives the temperature back.
      this.raw = Math.round(clamped * 2) & 0xffff;
      whole = Math.floor(Math.round(clamped * 2) / 2);
      this.byte6 = COUNT_PER_C - Math.round((clamped - whole + 0.25) * COUNT_PER_C);
    } else {
      const undefinedBits = 12 - this.resolution;
      const sixteenths = Math.round(clamped * 16);
      // Below 12 bits the low bits are undefined; these parts leave them 0.
      this.raw = sixteenths & ~((1 << undefinedBits) - 1) & 0xffff;
      whole = Math.floor(sixteenths / 16);
      // Genuine parts leave 10h - (T & 0Fh) here, never the power-on 0Ch for a converted 85 °C.
      this.byte6 = 0x10 - (this.raw & 0x0f);
    }
    // Only the whole degrees take part in the comparison with the alarm bytes.
    this.alarm = whole <= signedByte(this.tl) || whole >= signedByte(this.th);
  }

  /** READ SCRATCHPAD's nine bytes. */
  scratchpad(): Uint8Array {
    const bytes = Uint8Array.from([
      this.raw & 0xff,
      this.raw >> 8,
      this.th,
      this.tl,
      this.hasConfigRegister ? this.config : 0xff,
      0xff,
      this.byte6,
      COUNT_PER_C,
      0,
    ]);
    bytes[8] = crc8(bytes.subarray(0, 8));
    return bytes;
  }

  /** Bit 7 reads 0 and bits 4-0 read 1 whatever is written; only R1 R0 are kept. */
  private normaliseConfig(value: number): number {
    return configForResolution(resolutionFromConfig(value & 0x60));
  }
}
