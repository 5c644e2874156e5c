import { compareSearchOrder } from '../../onewire/rom';
import { SensorFault, SimulatedSensor, SimulatedSensorOptions } from './simulated-sensor';

/**
 * The 1-Wire bus behind a virtual board's GPIO4: the sensors on it and bus-wide faults. Tests and the demo
 * change it while the board runs (add a sensor, make one fail, short the bus); the simulated bridge firmware
 * sees the change on its next scan or read, as real firmware would.
 */

export interface SimulatedBusOptions {
  sensors?: SimulatedSensorOptions[];
  /** DQ shorted to ground: nobody answers, every reset sees the line stuck low. */
  shorted?: boolean;
  /**
   * Factor on the data sheet's conversion times (750 ms at 12 bits). 1 is real time; tests use less.
   */
  conversionTimeScale?: number;
}

/** Two DS18B20s, one warm and one cold, so a fresh virtual board has something to show. */
export const DEFAULT_SENSORS: SimulatedSensorOptions[] = [
  { ident: '28-0316a27950ff', temperature: 21.5, drift: 0.5 },
  { ident: '28-0416b3c4d5e6', temperature: 4.25, drift: -0.25 },
];

export class SimulatedBus {
  readonly sensors: SimulatedSensor[];
  shorted: boolean;
  conversionTimeScale: number;

  constructor(options: SimulatedBusOptions = {}) {
    this.sensors = (options.sensors ?? DEFAULT_SENSORS).map((s) => new SimulatedSensor(s));
    this.shorted = options.shorted ?? false;
    this.conversionTimeScale = options.conversionTimeScale ?? 1;
  }

  add(options: SimulatedSensorOptions): SimulatedSensor {
    const sensor = new SimulatedSensor(options);
    this.sensors.push(sensor);
    return sensor;
  }

  sensor(ident: string): SimulatedSensor {
    const found = this.sensors.find((s) => s.ident === ident.toLowerCase());
    if (!found) throw new Error(`no simulated sensor ${ident}`);
    return found;
  }

  setFault(ident: string, fault: SensorFault): void {
    this.sensor(ident).fault = fault;
  }

  /** Sensors that answer a search, in Maxim AN187 order (ROM bits compared from bit 0 of byte 0 up). */
  search(): SimulatedSensor[] {
    return this.sensors.filter((s) => s.present).sort((a, b) => compareSearchOrder(a.rom, b.rom));
  }
}
