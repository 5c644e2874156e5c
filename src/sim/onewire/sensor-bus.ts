import { OneWireBus } from './onewire-bus';
import type { ViolationLog } from './violations';
import { SensorFault, SimulatedSensor, SimulatedSensorOptions } from './simulated-sensor';

/**
 * The 1-Wire line on a virtual board's GPIO4 and the thermometers on it. Tests and the demo change it
 * while the board runs (add a sensor, make one fail, short the line); the firmware sees the change
 * on the wire, on its next scan or read.
 */

export interface SensorBusOptions {
  sensors?: SimulatedSensorOptions[];
  /** DQ shorted to ground: every reset sees the line stuck low. */
  shorted?: boolean;
}

/** Two DS18B20s, one warm and one cold, so a fresh virtual board has something to show. */
export const DEFAULT_SENSORS: SimulatedSensorOptions[] = [
  { ident: '28-0316a27950ff', temperature: 21.5, drift: 0.5 },
  { ident: '28-0416b3c4d5e6', temperature: 4.25, drift: -0.25 },
];

let defaults: SensorBusOptions = {};

/** What the line of a board created from now on carries, unless its options say otherwise. */
export function setDefaultSensors(options: SensorBusOptions): void {
  defaults = options;
}

export function defaultSensors(): SensorBusOptions {
  return defaults;
}

export class SensorBus {
  /** The electrical line; it outlives the chip's resets and reflashes, like a real cable. */
  readonly line = new OneWireBus();
  private list: SimulatedSensor[] = [];

  constructor(options: SensorBusOptions = {}) {
    this.configure(options);
  }

  get sensors(): readonly SimulatedSensor[] {
    return this.list;
  }

  get shorted(): boolean {
    return this.line.shorted;
  }

  set shorted(value: boolean) {
    this.line.shorted = value;
  }

  /** Replaces every sensor on the line. */
  configure(options: SensorBusOptions): void {
    for (const sensor of this.list) this.line.detach(sensor.part);
    this.list = [];
    for (const sensor of options.sensors ?? DEFAULT_SENSORS) this.add(sensor);
    this.line.shorted = options.shorted ?? false;
  }

  add(options: SimulatedSensorOptions): SimulatedSensor {
    const sensor = new SimulatedSensor(options);
    if (this.list.some((s) => s.ident === sensor.ident)) throw new Error(`sensor ${sensor.ident} is already on the bus`);
    this.list.push(sensor);
    if (sensor.present) this.line.attach(sensor.part);
    return sensor;
  }

  sensor(ident: string): SimulatedSensor {
    const found = this.list.find((s) => s.ident === ident.toLowerCase());
    if (!found) throw new Error(`no simulated sensor ${ident}`);
    return found;
  }

  setFault(ident: string, fault: SensorFault): void {
    const sensor = this.sensor(ident);
    const wasPresent = sensor.present;
    sensor.fault = fault;
    if (wasPresent && !sensor.present) this.line.detach(sensor.part);
    if (!wasPresent && sensor.present) this.line.attach(sensor.part);
  }

  /** Moves every drifting temperature along to wall time `nowMs`. */
  tick(nowMs: number): void {
    for (const sensor of this.list) sensor.tick(nowMs);
  }

  /** Every timing violation the parts on the line have judged so far. */
  violations(): ViolationLog {
    return this.line.violations();
  }
}
