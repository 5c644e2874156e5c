import { configForResolution } from '../../onewire/scratchpad';
import { FACTORY_EEPROM } from './thermometer-memory';
import { Thermometer } from './thermometer';

/**
 * One thermometer wired to a virtual board's 1-Wire line, as a test or the demo describes it: a ROM
 * id, a temperature that may drift, a resolution, a supply, and faults a real installation has. The
 * part itself is the electrical model (thermometer.ts); faults act on the wire as they
 * would on a real one.
 */

export type SensorFault =
  | 'none'
  | 'crc' // every scratchpad arrives with a wrong CRC byte (noise on a long cable)
  | 'vanished'; // unplugged: it no longer answers on the line

export interface SimulatedSensorOptions {
  ident: string;
  /** °C at the start. */
  temperature?: number;
  /** °C per minute of wall time; the temperature stays within -55..125 °C. */
  drift?: number;
  /** The resolution in the part's EEPROM (ignored by the DS18S20); default 12 bits. */
  resolution?: number;
  power?: 'external' | 'parasite';
  fault?: SensorFault;
  /** How many coming scratchpad reads arrive with a flipped bit (a glitch that heals by itself). */
  corruptReads?: number;
}

const MIN_C = -55;
const MAX_C = 125;

export class SimulatedSensor {
  readonly part: Thermometer;
  fault: SensorFault;
  drift: number;
  corruptReads: number;
  private baseCelsius: number;
  /** Wall time (ms) the drift counts from; set at the first tick. */
  private baseMs: number | null = null;

  constructor(options: SimulatedSensorOptions) {
    const eeprom =
      options.resolution === undefined ? FACTORY_EEPROM : { ...FACTORY_EEPROM, config: configForResolution(options.resolution) };
    this.part = new Thermometer({ rom: options.ident.toLowerCase(), power: options.power, celsius: options.temperature ?? 21.5, eeprom });
    this.baseCelsius = this.part.celsius;
    this.drift = options.drift ?? 0;
    this.fault = options.fault ?? 'none';
    this.corruptReads = options.corruptReads ?? 0;
    this.part.scratchpadNoise = (bytes) => this.noise(bytes);
  }

  get ident(): string {
    return this.part.ident;
  }

  get present(): boolean {
    return this.fault !== 'vanished';
  }

  /** Sets the temperature from `nowMs` on (drift continues from this value). */
  setTemperature(celsius: number, nowMs = performance.now()): void {
    this.baseCelsius = celsius;
    this.baseMs = nowMs;
    this.part.celsius = celsius;
  }

  /** Moves the temperature along its drift; the next conversion measures it. */
  tick(nowMs: number): void {
    if (this.baseMs === null) this.baseMs = nowMs;
    if (this.drift === 0) return;
    const value = this.baseCelsius + (this.drift * (nowMs - this.baseMs)) / 60000;
    this.part.celsius = Math.min(MAX_C, Math.max(MIN_C, value));
  }

  private noise(bytes: Uint8Array): Uint8Array {
    const out = bytes.slice();
    if (this.fault === 'crc') out[8] ^= 0x5a;
    if (this.corruptReads > 0) {
      this.corruptReads -= 1;
      out[0] ^= 0x04;
    }
    return out;
  }
}
