import type { ApplicationHost, BoardApplication } from '../application';
import { BRIDGE_FIRMWARE_NAME } from '../../onewire/bridge-protocol';
import { FAMILY_NAMES } from '../../onewire/rom';
import { decodeScratchpad } from '../../onewire/scratchpad';
import { Command, CommandReader } from './command-reader';
import { SimulatedBus } from './simulated-bus';
import { SimulatedSensor } from './simulated-sensor';

/**
 * What firmware/bridge.bin does, simulated: the same lines, in the same order, for the same commands
 * (firmware/PROTOCOL.md), over a simulated bus. Commands run one at a time; a command that arrives during
 * a read cycle waits for the cycle's `cycle` line.
 */

export const BRIDGE_VERSION = '1.0.0';
const MAX_SENSORS = 16;
const ONE_WIRE_PIN = 4;

/** What the firmware remembers about a sensor from its scan (bridge_sensor in firmware/src). */
interface KnownSensor {
  sensor: SimulatedSensor;
  /** As the firmware last found it; 0 until probed. */
  resolution: number;
  parasite: boolean;
}

/** Data sheet maximum conversion times in ms by resolution (DS18S20: always 750 ms). */
const CONVERSION_MS: Record<number, number> = { 9: 93.75, 10: 187.5, 11: 375, 12: 750 };

export class BridgeApplication implements BoardApplication {
  private readonly reader = new CommandReader();
  private readonly pending: Command[] = [];
  private readonly timers = new Set<NodeJS.Timeout>();
  private known: KnownSensor[] = [];
  private busy = false;
  /** The interval came round during a read cycle; the firmware runs it right after that cycle. */
  private intervalDue = false;
  private stopped = false;
  private intervalMs = 0;
  private requestedResolution = 0;
  private intervalTimer: NodeJS.Timeout | undefined;

  constructor(
    private readonly host: ApplicationHost,
    private readonly bus: SimulatedBus,
  ) {
    this.later(0, () => {
      this.host.transmit(Buffer.from('\r\n', 'latin1'));
      this.sendHello();
      this.scan();
    });
  }

  receive(bytes: Uint8Array): void {
    if (this.stopped) return;
    this.pending.push(...this.reader.push(bytes));
    this.runPending();
  }

  stop(): void {
    this.stopped = true;
    for (const timer of this.timers) clearTimeout(timer);
    this.timers.clear();
    this.pending.length = 0;
  }

  private runPending(): void {
    while (!this.busy && !this.stopped && this.pending.length > 0) {
      this.execute(this.pending.shift() as Command);
    }
  }

  private execute(command: Command): void {
    switch (command.kind) {
      case 'hello':
        return this.sendHello();
      case 'scan':
        return this.scan();
      case 'read':
        return this.readCycle('read');
      case 'interval':
        return this.setInterval(command.argument);
      case 'res':
        return this.setResolution(command.argument);
      case 'bad_argument':
        return this.send({ type: 'err', code: 'bad_argument', command: command.command });
      case 'bad_command':
      case 'line_too_long':
        return this.send({ type: 'err', code: command.kind });
    }
  }

  private sendHello(): void {
    this.send({
      type: 'hello', firmware: BRIDGE_FIRMWARE_NAME, version: BRIDGE_VERSION, protocol: 1, pin: ONE_WIRE_PIN,
      interval: this.intervalMs, resolution: this.requestedResolution, max_sensors: MAX_SENSORS,
    });
  }

  /** ROM search; errors are sent as they happen, as the firmware does. */
  private search(): void {
    this.known = [];
    if (this.bus.shorted) {
      this.send({ type: 'err', code: 'bus_short' });
      return;
    }
    const found = this.bus.search();
    if (found.length === 0) {
      this.send({ type: 'err', code: 'no_device' });
      return;
    }
    if (found.length > MAX_SENSORS) this.send({ type: 'err', code: 'too_many_devices' });
    this.known = found.slice(0, MAX_SENSORS).map((sensor) => ({ sensor, resolution: 0, parasite: false }));
  }

  private scan(): void {
    this.search();
    for (const entry of this.known) {
      this.probe(entry);
      const { sensor } = entry;
      this.send({
        type: 'sensor', ident: sensor.ident, model: FAMILY_NAMES[sensor.family], power: powerName(entry), resolution: entry.resolution,
      });
    }
    this.send({ type: 'sensors', count: this.known.length });
  }

  /** READ POWER SUPPLY, then the resolution from the config register (or set it, after `res`). */
  private probe(entry: KnownSensor): void {
    const { sensor } = entry;
    entry.parasite = sensor.present && sensor.power === 'parasite';
    entry.resolution = sensor.isDs18s20 ? 9 : 12;
    if (sensor.isDs18s20) return;
    if (this.requestedResolution !== 0) {
      this.writeResolution(entry, this.requestedResolution);
      return;
    }
    const decoded = decodeScratchpad(sensor.family, sensor.scratchpad());
    if (decoded.ok) entry.resolution = decoded.resolution;
  }

  /** WRITE SCRATCHPAD keeps TH and TL, so the firmware reads the scratchpad before and after. */
  private writeResolution(entry: KnownSensor, bits: number): void {
    if (!this.readIntact(entry)) return;
    entry.sensor.setResolution(bits);
    const after = this.readIntact(entry);
    if (after) entry.resolution = after.resolution;
  }

  /** A scratchpad read for its configuration; an `err` line with the ident when it is not intact. */
  private readIntact(entry: KnownSensor): { resolution: number } | null {
    const decoded = decodeScratchpad(entry.sensor.family, entry.sensor.scratchpad());
    if (!decoded.ok) {
      this.send({ type: 'err', code: decoded.code, ident: entry.sensor.ident });
      return null;
    }
    return decoded;
  }

  private readCycle(trigger: 'read' | 'interval'): void {
    if (this.known.length === 0) this.search();
    if (this.known.length === 0) {
      this.send({ type: 'cycle', trigger, count: 0, errors: 0 });
      return;
    }
    const entries = [...this.known];
    for (const entry of entries) if (entry.resolution === 0) this.probe(entry);
    if (this.bus.shorted || entries.every((e) => !e.sensor.present)) {
      // The CONVERT T reset gets no presence pulse: nobody can be read.
      const code = this.bus.shorted ? 'bus_short' : 'no_device';
      for (const entry of entries) this.send({ type: 'err', code, ident: entry.sensor.ident });
      this.send({ type: 'cycle', trigger, count: entries.length, errors: entries.length });
      return;
    }
    const now = this.host.now();
    for (const entry of entries) if (entry.sensor.present) entry.sensor.convert(now);
    const waitMs = Math.max(...entries.map((e) => CONVERSION_MS[e.resolution] ?? 750)) * this.bus.conversionTimeScale;
    this.busy = true;
    this.later(waitMs, () => {
      let errors = 0;
      for (const entry of entries) if (!this.readOne(entry)) errors++;
      this.send({ type: 'cycle', trigger, count: entries.length, errors });
      this.busy = false;
      if (this.intervalDue) {
        this.intervalDue = false;
        this.readCycle('interval');
      }
      this.runPending();
    });
  }

  private readOne(entry: KnownSensor): boolean {
    const { sensor } = entry;
    const decoded = decodeScratchpad(sensor.family, sensor.scratchpad());
    if (!decoded.ok) {
      this.send({ type: 'err', code: decoded.code, ident: sensor.ident });
      return false;
    }
    if (decoded.powerOnPattern) {
      this.send({ type: 'err', code: 'power_on_value', ident: sensor.ident });
      return false;
    }
    this.send({
      type: 'temp', ident: sensor.ident, millicelsius: decoded.millidegrees, resolution: decoded.resolution, power: powerName(entry),
    });
    return true;
  }

  private setInterval(ms: number): void {
    this.intervalMs = ms;
    if (this.intervalTimer) {
      clearTimeout(this.intervalTimer);
      this.timers.delete(this.intervalTimer);
      this.intervalTimer = undefined;
    }
    this.send({ type: 'ok', command: 'interval', interval: ms });
    if (ms > 0) this.scheduleIntervalCycle();
  }

  private scheduleIntervalCycle(): void {
    this.intervalTimer = this.later(this.intervalMs, () => {
      this.intervalTimer = undefined;
      if (this.busy) this.intervalDue = true;
      else this.readCycle('interval');
      this.scheduleIntervalCycle();
    });
  }

  private setResolution(bits: number): void {
    this.requestedResolution = bits;
    for (const entry of this.known) if (!entry.sensor.isDs18s20) this.writeResolution(entry, bits);
    this.send({ type: 'ok', command: 'res', resolution: bits });
  }

  private send(line: Record<string, string | number>): void {
    if (this.stopped) return;
    this.host.transmit(Buffer.from(JSON.stringify(line) + '\n', 'latin1'));
  }

  private later(ms: number, run: () => void): NodeJS.Timeout {
    const timer = setTimeout(() => {
      this.timers.delete(timer);
      if (!this.stopped) run();
    }, ms);
    this.timers.add(timer);
    return timer;
  }
}

function powerName(entry: KnownSensor): 'external' | 'parasite' {
  return entry.parasite ? 'parasite' : 'external';
}
