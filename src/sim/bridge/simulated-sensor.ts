import { crc8 } from '../../onewire/crc8';
import { FAMILY_NAMES, identToRom, romToIdent } from '../../onewire/rom';
import { configForResolution, resolutionFromConfig } from '../../onewire/scratchpad';

/**
 * One simulated 1-Wire thermometer as the bridge firmware sees it on the bus: a ROM id, a temperature that
 * may drift, a configuration register, a supply, and an optional fault that shapes the scratchpad the way
 * the real fault would.
 */

export type SensorFault =
  | 'none'
  | 'crc' // the scratchpad arrives with a wrong CRC byte (noise on a long cable)
  | 'power_on' // the conversion never runs: the scratchpad keeps 85 °C and byte 6 = 0x0C
  | 'vanished' // unplugged: it does not answer the search and reads as all ones
  | 'stuck_low'; // it holds DQ low while being read: the scratchpad reads as all zeros

export interface SimulatedSensorOptions {
  ident: string;
  /** °C at the start. */
  temperature?: number;
  /** °C per minute of board time; the temperature stays within -55..125 °C. */
  drift?: number;
  resolution?: number;
  power?: 'external' | 'parasite';
  fault?: SensorFault;
  /** How many coming scratchpad reads arrive with a flipped bit (a glitch that heals by itself). */
  corruptReads?: number;
}

const MIN_C = -55;
const MAX_C = 125;
const POWER_ON_RAW = 0x0550;
const DS18S20_POWER_ON_RAW = 0x00aa;

export class SimulatedSensor {
  readonly rom: Uint8Array;
  readonly ident: string;
  power: 'external' | 'parasite';
  fault: SensorFault;
  drift: number;
  corruptReads: number;
  private baseCelsius: number;
  /** Board time the drift counts from; set by the first conversion (sensors exist before any board clock). */
  private baseTime: number | null = null;
  private config: number;
  private converted = false;
  private lastRaw = 0;
  private lastCountRemain = 0x0c;

  constructor(options: SimulatedSensorOptions) {
    this.rom = identToRom(options.ident);
    if (FAMILY_NAMES[this.rom[0]] === undefined) throw new Error(`${options.ident} is not a thermometer family`);
    this.ident = romToIdent(this.rom);
    this.baseCelsius = options.temperature ?? 21.5;
    this.drift = options.drift ?? 0;
    this.power = options.power ?? 'external';
    this.fault = options.fault ?? 'none';
    this.corruptReads = options.corruptReads ?? 0;
    this.config = configForResolution(this.isDs18s20 ? 12 : options.resolution ?? 12);
  }

  get family(): number {
    return this.rom[0];
  }

  get isDs18s20(): boolean {
    return this.family === 0x10;
  }

  get resolution(): number {
    return this.isDs18s20 ? 9 : resolutionFromConfig(this.config);
  }

  get present(): boolean {
    return this.fault !== 'vanished';
  }

  /** Sets the temperature from now on (drift continues from this value). */
  setTemperature(celsius: number, now: number): void {
    this.baseCelsius = celsius;
    this.baseTime = now;
  }

  temperatureAt(now: number): number {
    if (this.baseTime === null) this.baseTime = now;
    const value = this.baseCelsius + (this.drift * (now - this.baseTime)) / 60000;
    return Math.min(MAX_C, Math.max(MIN_C, value));
  }

  /** WRITE SCRATCHPAD's config byte; the DS18S20 has no configuration register. */
  setResolution(bits: number): void {
    if (!this.isDs18s20) this.config = configForResolution(bits);
  }

  /** CONVERT T: latches the temperature at this moment, unless the fault keeps the power-on value. */
  convert(now: number): void {
    if (this.fault === 'power_on') {
      this.converted = false;
      return;
    }
    this.converted = true;
    const celsius = this.temperatureAt(now);
    if (this.isDs18s20) {
      // DS18S20 extended resolution: T = (raw >> 1) - 0.25 + (16 - COUNT_REMAIN) / 16. Pick the whole
      // degree so that COUNT_REMAIN lands in 0..16.
      const whole = Math.floor(celsius + 0.25);
      this.lastRaw = whole * 2;
      this.lastCountRemain = 16 - Math.round((celsius - whole + 0.25) * 16);
    } else {
      const undefinedBits = 12 - this.resolution;
      this.lastRaw = Math.round(celsius * 16) & ~((1 << undefinedBits) - 1);
    }
  }

  /** READ SCRATCHPAD: the 9 bytes the bus master would receive. */
  scratchpad(): Uint8Array {
    if (this.fault === 'vanished') return new Uint8Array(9).fill(0xff);
    if (this.fault === 'stuck_low') return new Uint8Array(9);
    const bytes = this.converted ? this.convertedBytes() : this.powerOnBytes();
    bytes[8] = crc8(bytes.subarray(0, 8));
    if (this.fault === 'crc') bytes[8] ^= 0x5a;
    if (this.corruptReads > 0) {
      this.corruptReads -= 1;
      bytes[0] ^= 0x04;
    }
    return bytes;
  }

  private convertedBytes(): Uint8Array {
    const raw = this.lastRaw & 0xffff;
    if (this.isDs18s20) {
      return Uint8Array.from([raw & 0xff, raw >> 8, 0x4b, 0x46, 0xff, 0xff, this.lastCountRemain, 0x10, 0]);
    }
    // Genuine parts put 0x10 - (T & 0xF) in byte 6, never the power-on 0x0C for a converted 85 °C.
    const byte6 = 0x10 - (raw & 0x0f);
    return Uint8Array.from([raw & 0xff, raw >> 8, 0x4b, 0x46, this.config, 0xff, byte6, 0x10, 0]);
  }

  private powerOnBytes(): Uint8Array {
    if (this.isDs18s20) return Uint8Array.from([DS18S20_POWER_ON_RAW, 0x00, 0x4b, 0x46, 0xff, 0xff, 0x0c, 0x10, 0]);
    return Uint8Array.from([POWER_ON_RAW & 0xff, POWER_ON_RAW >> 8, 0x4b, 0x46, this.config, 0xff, 0x0c, 0x10, 0]);
  }
}
