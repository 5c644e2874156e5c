import { EventEmitter } from 'events';
import {
  BRIDGE_FIRMWARE_NAME,
  BridgeEvent,
  MAX_BOARD_LINE_BYTES,
  MAX_BRIDGE_SENSORS,
  MAX_COMMAND_BYTES,
  ProtocolError,
  isBridgeHello,
  parseBridgeLine,
} from './bridge-protocol';
import { LineSplitter } from './line-splitter';
import { SensorOutcome, fail, readingFromMillidegrees, unixSeconds } from './reading';
import { SensorErrorCode } from './sensor-error';

/**
 * Talks to the ds18b20-bridge firmware over a serial connection the caller owns: the caller feeds every
 * received chunk to `receive()` and gives a `write` function. Commands go one at a time, as the firmware
 * handles them (PROTOCOL.md section 4), each with a timeout.
 *
 * Events: 'cycle' (CycleResult) for read cycles nobody asked for (the board's own interval),
 * 'hello' (HelloEvent), 'protocol-error' (ProtocolError) for malformed lines, which are otherwise ignored.
 */

export type HelloEvent = Extract<BridgeEvent, { type: 'hello' }>;
export type SensorInfo = Omit<Extract<BridgeEvent, { type: 'sensor' }>, 'type'>;

export interface CycleResult {
  trigger: 'read' | 'interval';
  outcomes: SensorOutcome[];
  /** A bus-wide problem reported during the cycle (`no_device` on an empty bus, `bus_short`). */
  busError?: string;
}

export const FLASH_BRIDGE_ADVICE = 'flash the bridge firmware with the ESP8266 flash node';

export interface BridgeClientOptions {
  write: (line: string) => void | Promise<void>;
  now?: () => number;
  /** How long `read` may take: 16 sensors at 12 bits need 750 ms of conversion plus the transfer. */
  readTimeoutMs?: number;
  commandTimeoutMs?: number;
}

type Terminator = (event: BridgeEvent) => boolean;

interface Command {
  text: string;
  terminates: Terminator;
  timeoutMs: number;
  resolve: (value: unknown) => void;
  reject: (err: Error) => void;
}

/**
 * Commands that may wait behind the one the board is working on. Readers share their reads, so a few are
 * plenty; a board that stopped answering must not collect one per tick for ever.
 */
export const MAX_QUEUED_COMMANDS = 8;

/** Command errors end a command; errors about one sensor or the bus never do (PROTOCOL.md section 4). */
const COMMAND_ERROR_CODES = new Set(['bad_command', 'bad_argument', 'line_too_long']);

const SENSOR_ERROR_TEXT: Record<string, [SensorErrorCode, string]> = {
  crc: ['crc', 'CRC error reading the sensor (noise, a long cable or a loose wire)'],
  no_device: ['no_device', 'the sensor did not answer (unplugged, or the data wire is open)'],
  power_on_value: ['power_on_value', '85 °C power-on value: the conversion did not run (check the supply)'],
  bus_short: ['bus_short', 'the 1-Wire bus is held low (short circuit or a stuck sensor)'],
};

export class BridgeClient extends EventEmitter {
  private readonly splitter: LineSplitter;
  private readonly now: () => number;
  private readonly readTimeoutMs: number;
  private readonly commandTimeoutMs: number;
  private queue: Command[] = [];
  private active: { command: Command; timer: NodeJS.Timeout } | null = null;
  private cycleOutcomes: SensorOutcome[] = [];
  private cycleBusError: string | undefined;
  private scanned: SensorInfo[] = [];
  private lastForeignHello: HelloEvent | null = null;
  private sensorList: SensorInfo[] = [];
  /** Sensors that failed while `res` ran: they belong to that command, not to the next read cycle. */
  private resolutionFailures: SensorOutcome[] = [];

  constructor(private readonly options: BridgeClientOptions) {
    super();
    this.now = options.now ?? Date.now;
    this.readTimeoutMs = options.readTimeoutMs ?? 6000;
    this.commandTimeoutMs = options.commandTimeoutMs ?? 2000;
    this.splitter = new LineSplitter(
      MAX_BOARD_LINE_BYTES,
      (line) => this.handleLine(line),
      (excerpt) => this.emit('protocol-error', { kind: 'line_too_long', message: 'line longer than 256 bytes', excerpt }),
    );
  }

  /** Sensors from the latest complete scan (the board scans by itself at boot). */
  get sensors(): SensorInfo[] {
    return [...this.sensorList];
  }

  receive(bytes: Uint8Array): void {
    this.splitter.push(bytes);
  }

  /** Asks the board who it is; rejects with advice to flash the bridge when it runs something else. */
  async hello(): Promise<HelloEvent> {
    let event: unknown;
    try {
      event = await this.command('hello', (e) => e.type === 'hello' && isBridgeHello(e), this.commandTimeoutMs);
    } catch (err) {
      if (this.lastForeignHello) {
        throw new Error(`the board runs "${this.lastForeignHello.firmware}", not ${BRIDGE_FIRMWARE_NAME}: ${FLASH_BRIDGE_ADVICE}`, {
          cause: err,
        });
      }
      if (err instanceof Error && /timed out/.test(err.message)) {
        throw new Error(`no answer from the ${BRIDGE_FIRMWARE_NAME} firmware: ${FLASH_BRIDGE_ADVICE}`, { cause: err });
      }
      throw err;
    }
    return event as HelloEvent;
  }

  async scan(): Promise<SensorInfo[]> {
    await this.command('scan', (e) => e.type === 'sensors', this.commandTimeoutMs);
    return this.sensors;
  }

  /** Runs one read cycle on the board: one outcome per known sensor. */
  async read(): Promise<CycleResult> {
    // The command settles with the collected cycle, not the bare `cycle` line (see endCycle).
    return (await this.command('read', (e) => e.type === 'cycle' && e.trigger === 'read', this.readTimeoutMs)) as CycleResult;
  }

  /** Sets every settable sensor's resolution; resolves with the sensors that refused (`err` lines with an ident). */
  async setResolution(bits: number): Promise<SensorOutcome[]> {
    this.resolutionFailures = [];
    await this.command(`res ${bits}`, (e) => e.type === 'ok' && e.command === 'res', this.commandTimeoutMs);
    return this.resolutionFailures;
  }

  async setInterval(ms: number): Promise<void> {
    await this.command(`interval ${ms}`, (e) => e.type === 'ok' && e.command === 'interval', this.commandTimeoutMs);
  }

  /**
   * Abandons everything in flight (a flash took the port, the board vanished or the node closes): pending
   * commands reject with `reason`, and a partial line or cycle is forgotten.
   */
  interrupt(reason: Error): void {
    const pending = this.active ? [this.active.command, ...this.queue] : [...this.queue];
    if (this.active) clearTimeout(this.active.timer);
    this.active = null;
    this.queue = [];
    this.splitter.reset();
    this.cycleOutcomes = [];
    this.cycleBusError = undefined;
    this.scanned = [];
    this.lastForeignHello = null;
    for (const command of pending) command.reject(reason);
  }

  private command(text: string, terminates: Terminator, timeoutMs: number): Promise<unknown> {
    if (Buffer.byteLength(text) + 1 > MAX_COMMAND_BYTES) return Promise.reject(new Error(`command too long: ${text}`));
    if (this.queue.length >= MAX_QUEUED_COMMANDS) {
      return Promise.reject(
        new Error(
          `${this.queue.length} commands are already waiting for the board ("${this.active?.command.text ?? ''}" has no answer yet)`,
        ),
      );
    }
    return new Promise<unknown>((resolve, reject) => {
      this.queue.push({ text, terminates, timeoutMs, resolve, reject });
      this.startNext();
    });
  }

  private startNext(): void {
    if (this.active || this.queue.length === 0) return;
    const command = this.queue.shift() as Command;
    const timer = setTimeout(() => {
      this.fail(command, new Error(`the board did not answer "${command.text}" (timed out after ${command.timeoutMs} ms)`));
    }, command.timeoutMs);
    this.active = { command, timer };
    try {
      Promise.resolve(this.options.write(`${command.text}\n`)).catch((err: Error) => this.fail(command, err));
    } catch (err) {
      this.fail(command, err as Error);
    }
  }

  private finish(command: Command, value: unknown): void {
    if (!this.settle(command)) return;
    command.resolve(value);
    this.startNext();
  }

  private fail(command: Command, err: Error): void {
    if (!this.settle(command)) return;
    command.reject(err);
    this.startNext();
  }

  /** Clears the active slot if `command` still holds it; false when it was already settled. */
  private settle(command: Command): boolean {
    if (!this.active || this.active.command !== command) return false;
    clearTimeout(this.active.timer);
    this.active = null;
    return true;
  }

  private handleLine(line: string): void {
    const parsed = parseBridgeLine(line);
    if (parsed.kind === 'noise') return;
    if (parsed.kind === 'error') {
      this.emit('protocol-error', parsed.error satisfies ProtocolError);
      return;
    }
    const event = parsed.event;
    switch (event.type) {
      case 'hello':
        if (isBridgeHello(event)) this.lastForeignHello = null;
        else this.lastForeignHello = event;
        this.emit('hello', event);
        break;
      case 'sensor':
        if (this.keepsMore(this.scanned, line)) {
          this.scanned.push({ ident: event.ident, model: event.model, power: event.power, resolution: event.resolution });
        }
        break;
      case 'sensors':
        this.sensorList = this.scanned.slice(0, event.count);
        this.scanned = [];
        this.emit('sensors', this.sensors);
        break;
      case 'temp':
        if (!this.keepsMore(this.cycleOutcomes, line)) break;
        this.cycleOutcomes.push(
          readingFromMillidegrees(event.ident, event.millicelsius, {
            timestamp: unixSeconds(this.now()),
            resolution: event.resolution,
            power: event.power,
            // The firmware already told a power-on scratchpad from a real 85 °C (PROTOCOL.md 3.6).
            powerOnPattern: false,
          }),
        );
        break;
      case 'err':
        this.handleError(event);
        break;
      case 'cycle':
        this.endCycle(event);
        return;
      case 'ok':
        break;
    }
    this.settleActive(event);
  }

  private handleError(event: Extract<BridgeEvent, { type: 'err' }>): void {
    if (event.ident) {
      const [code, text] = SENSOR_ERROR_TEXT[event.code] ?? ['bad_data', `the bridge reported "${event.code.slice(0, 32)}"`];
      const during = this.active?.command.text.startsWith('res ') ? this.resolutionFailures : this.cycleOutcomes;
      if (this.keepsMore(during, JSON.stringify(event))) during.push(fail(event.ident, code, text));
      return;
    }
    if (event.code === 'no_device') this.cycleBusError = 'no sensor answered on the 1-Wire bus (check the wiring and the 4.7 kΩ pull-up)';
    else if (event.code === 'bus_short') this.cycleBusError = 'the 1-Wire bus is shorted to ground';
    else if (!COMMAND_ERROR_CODES.has(event.code)) this.emit('bus-error', event.code);
  }

  /**
   * Whether a scan or cycle still has room for one more sensor line. A board that sends more than the
   * firmware can hold (or never ends its scan or cycle) gets one protocol error per extra line, not memory.
   */
  private keepsMore(list: unknown[], line: string): boolean {
    if (list.length < MAX_BRIDGE_SENSORS) return true;
    this.emit('protocol-error', {
      kind: 'too_many_sensors',
      message: `more than ${MAX_BRIDGE_SENSORS} sensor lines in one scan or cycle`,
      excerpt: line.slice(0, 60),
    } satisfies ProtocolError);
    return false;
  }

  private endCycle(event: Extract<BridgeEvent, { type: 'cycle' }>): void {
    const result: CycleResult = { trigger: event.trigger, outcomes: this.cycleOutcomes };
    if (this.cycleBusError) result.busError = this.cycleBusError;
    this.cycleOutcomes = [];
    this.cycleBusError = undefined;
    const active = this.active?.command;
    if (active && active.terminates(event)) {
      this.finish(active, result);
    } else {
      this.emit('cycle', result);
    }
  }

  private settleActive(event: BridgeEvent): void {
    const active = this.active?.command;
    if (!active) return;
    if (active.terminates(event)) {
      this.finish(active, event);
    } else if (event.type === 'err' && !event.ident && COMMAND_ERROR_CODES.has(event.code)) {
      this.fail(active, new Error(`the board refused "${active.text}": ${event.code}`));
    }
  }
}
