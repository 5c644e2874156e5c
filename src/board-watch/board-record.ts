// Everything known about one board or w1 bus since the deploy, and the view of it a page shows.
import { LineTap } from '../bridge-check/line-tap';
import type { FlashSummary } from '../bridge-check/report';
import type { CycleResult, HelloEvent } from '../onewire/bridge-client';
import { ConsoleEntry, ConsoleEvent, SerialConsole } from './serial-console';
import { ErrorCounts, SensorHealth, SensorTable, countError } from './sensor-health';

export type BoardKind = 'esp8266' | 'w1';

/** connected, paused for a flash, lost, other firmware, no permission; idle while nothing holds the port. */
export type BoardState = 'idle' | 'connecting' | 'connected' | 'paused' | 'lost' | 'other-firmware' | 'no-permission';

export interface FirmwareInfo {
  name: string;
  version: string;
  protocol: number;
  pin?: number;
}

export interface BoardView {
  id: string;
  kind: BoardKind;
  /** The config node's name, or the w1 path. */
  label: string;
  /** Serial port or w1 path. */
  port: string;
  state: BoardState;
  /** The reason behind the state, in the library's words (a port error, the other firmware's name). */
  detail: string;
  firmware?: FirmwareInfo;
  mac?: string;
  sensors: SensorHealth[];
  lastCycle?: { durationMs: number; at: number };
  /** While a flash holds the port: its phase and percentage. */
  flash?: { phase: string; percent: number };
}

/** Durations kept for the report's min, median and max. */
const MAX_DURATIONS = 1000;

export class BoardRecord {
  readonly sensors = new SensorTable();
  readonly console: SerialConsole;
  readonly tap = new LineTap();
  readonly errors: ErrorCounts = new Map();
  readonly durations: number[] = [];
  state: BoardState = 'idle';
  detail = '';
  firmware: FirmwareInfo | undefined;
  mac: string | undefined;
  flashed: FlashSummary | undefined;
  flash: { phase: string; percent: number } | undefined;
  lastCycle: { durationMs: number; at: number } | undefined;
  scanned = false;

  constructor(
    readonly id: string,
    readonly kind: BoardKind,
    public label: string,
    readonly port: string,
    private readonly now: () => number = Date.now,
  ) {
    this.console = new SerialConsole(now);
  }

  /** Bytes from the port: counted always, kept as console lines only while someone watches. */
  receive(bytes: Uint8Array, watched: boolean): void {
    this.tap.receive(bytes);
    if (watched) this.console.receive(bytes);
  }

  noteHello(hello: HelloEvent): void {
    this.firmware = { name: hello.firmware, version: hello.version, protocol: hello.protocol };
    if (hello.pin !== undefined) this.firmware.pin = hello.pin;
    if (hello.mac) this.mac = hello.mac;
  }

  addCycle(cycle: CycleResult, durationMs: number): void {
    const at = this.now();
    this.sensors.addCycle(cycle, at, this.errors);
    this.durations.push(durationMs);
    if (this.durations.length > MAX_DURATIONS) this.durations.shift();
    this.lastCycle = { durationMs: Math.round(durationMs), at };
  }

  addError(message: string): void {
    countError(this.errors, message);
  }

  consoleEvent(event: ConsoleEvent, text?: string, percent?: number, watched = true): void {
    if (watched) this.console.note(event, text, percent);
  }

  view(): BoardView {
    const view: BoardView = {
      id: this.id,
      kind: this.kind,
      label: this.label,
      port: this.port,
      state: this.state,
      detail: this.detail,
      sensors: this.sensors.all,
    };
    if (this.firmware) view.firmware = { ...this.firmware };
    if (this.mac) view.mac = this.mac;
    if (this.lastCycle) view.lastCycle = { ...this.lastCycle };
    if (this.flash) view.flash = { ...this.flash };
    return view;
  }

  consoleSince(seq: number): ConsoleEntry[] {
    return this.console.since(seq);
  }
}
