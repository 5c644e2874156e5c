// The boards and w1 buses the deployed flows use, as the editor's sidebar shows them. Fed by small hooks:
// the device config node registers its port (watchDevice), each read node its source (watchReadNode), and
// the bridge sessions, w1 sources and shared-port flashes say what happens (events on the library's
// classes). Collects counters always; console lines and updates only while someone watches.
import { createHash } from 'node:crypto';
import type { EventEmitter } from 'node:events';
import type { FlashProgress, FlashResult } from '../esp8266/flasher';
import { sharedPortFlashEvents } from '../esp8266/flash-on-shared-port';
import type { CycleResult, HelloEvent, SensorInfo } from '../onewire/bridge-client';
import { BridgeSession, bridgeSessionEvents, findBridgeSession } from '../onewire/bridge-session';
import type { SensorSource } from '../onewire/sensor-source';
import type { SharedPort } from '../serial/shared-port';
import { flashSummary } from '../bridge-check/report';
import { report as reportWords } from '../bridge-check/words';
import { BoardRecord, BoardState, BoardView } from './board-record';
import type { ConsoleEntry } from './serial-console';

/** Updates for one board go out at most this often. */
export const UPDATE_INTERVAL_MS = 250;

export interface BoardUpdate {
  board: BoardView;
  /** Console lines since the previous update. */
  lines: ConsoleEntry[];
}

export interface WatchedDevice {
  id: string;
  name: string;
  port: string;
  reset: 'auto' | 'none';
  sharedPort: SharedPort | undefined;
}

export interface WatchedReadNode {
  source: 'esp8266' | 'w1';
  deviceId?: string;
  w1Path?: string;
  sensors: ReadonlyArray<{ ident: string; name?: string }>;
  sensorSource: SensorSource;
}

interface DeviceEntry {
  record: BoardRecord;
  device: WatchedDevice;
  session: BridgeSession | undefined;
  detachSession: (() => void) | undefined;
}

interface W1Entry {
  record: BoardRecord;
  path: string;
  users: number;
}

const PORT_STATE: Record<string, BoardState> = {
  connecting: 'connecting',
  ready: 'connected',
  'no-bridge': 'other-firmware',
  paused: 'paused',
  lost: 'lost',
  closed: 'idle',
};

function isPermissionProblem(detail: string): boolean {
  return /EACCES|permission denied/i.test(detail);
}

export class BoardWatch {
  private readonly devices = new Map<string, DeviceEntry>();
  private readonly w1 = new Map<string, W1Entry>();
  private watching = false;
  private readonly timers = new Map<string, NodeJS.Timeout>();
  private readonly lastSent = new Map<string, number>();
  private readonly sentSeq = new Map<string, number>();
  /** Where updates go (the plugin publishes them through Node-RED's comms). */
  publish: ((update: BoardUpdate | { removed: string }) => void) | undefined;

  private readonly onSession = (session: BridgeSession) => this.sessionOpened(session);
  private readonly onFlashProgress = (port: SharedPort, progress: FlashProgress) => this.flashProgress(port, progress);
  private readonly onFlashDone = (port: SharedPort, result: FlashResult) => this.flashDone(port, result);
  private readonly onFlashFailed = (port: SharedPort, error: Error) => this.flashFailed(port, error);

  constructor(private readonly now: () => number = Date.now) {
    bridgeSessionEvents.on('open', this.onSession);
    sharedPortFlashEvents.on('progress', this.onFlashProgress);
    sharedPortFlashEvents.on('done', this.onFlashDone);
    sharedPortFlashEvents.on('failed', this.onFlashFailed);
  }

  /** Stops listening to the library (for a watch that is not the process's own). */
  dispose(): void {
    this.setWatched(false);
    bridgeSessionEvents.off('open', this.onSession);
    sharedPortFlashEvents.off('progress', this.onFlashProgress);
    sharedPortFlashEvents.off('done', this.onFlashDone);
    sharedPortFlashEvents.off('failed', this.onFlashFailed);
  }

  get isWatched(): boolean {
    return this.watching;
  }

  /** Someone opened the sidebar (true) or the last one closed it (false). */
  setWatched(watched: boolean): void {
    if (watched === this.watching) return;
    this.watching = watched;
    if (watched) {
      // A page that opens the tab asks for the whole picture; updates carry what comes after it.
      for (const record of this.records()) this.sentSeq.set(record.id, record.console.lastSeq);
      return;
    }
    for (const timer of this.timers.values()) clearTimeout(timer);
    this.timers.clear();
  }

  /** Every board, with its whole console: what a page shows when the tab opens. */
  snapshot(): BoardUpdate[] {
    // Updates already on their way may repeat some of these lines; a page keeps each line once, by its seq.
    return this.records().map((record) => ({ board: record.view(), lines: record.console.lines }));
  }

  record(id: string): BoardRecord | undefined {
    return this.devices.get(id)?.record ?? this.w1.get(id)?.record;
  }

  device(id: string): WatchedDevice | undefined {
    return this.devices.get(id)?.device;
  }

  w1Path(id: string): string | undefined {
    return this.w1.get(id)?.path;
  }

  /** An esp8266-device config node started; the returned function forgets it when the node closes. */
  watchDevice(device: WatchedDevice): () => void {
    const record = new BoardRecord(device.id, 'esp8266', device.name || device.port, device.port, this.now);
    const entry: DeviceEntry = { record, device, session: undefined, detachSession: undefined };
    this.devices.set(device.id, entry);
    const open = device.sharedPort ? findBridgeSession(device.sharedPort) : undefined;
    if (open) this.attachSession(entry, open);
    this.changed(record);
    return () => {
      if (this.devices.get(device.id) !== entry) return;
      entry.detachSession?.();
      this.devices.delete(device.id);
      this.forget(device.id);
    };
  }

  /** A read node started on a source; the returned function forgets it when the node closes. */
  watchReadNode(node: WatchedReadNode): () => void {
    if (node.source === 'esp8266') {
      const entry = node.deviceId ? this.devices.get(node.deviceId) : undefined;
      entry?.record.sensors.setNames(node.sensors);
      return () => undefined;
    }
    const path = node.w1Path ?? '';
    const id = w1Id(path);
    let entry = this.w1.get(id);
    if (!entry) {
      entry = { record: new BoardRecord(id, 'w1', path, path, this.now), path, users: 0 };
      entry.record.state = 'connected';
      this.w1.set(id, entry);
    }
    entry.users += 1;
    const record = entry.record;
    record.sensors.setNames(node.sensors);
    const onRead = (cycle: CycleResult, durationMs: number) => this.w1Read(record, cycle, durationMs);
    node.sensorSource.on('read', onRead);
    this.changed(record);
    const w1 = entry;
    return () => {
      node.sensorSource.off('read', onRead);
      w1.users -= 1;
      if (w1.users > 0 || this.w1.get(id) !== w1) return;
      this.w1.delete(id);
      this.forget(id);
    };
  }

  /** A read of a w1 bus (by a read node or the sidebar). */
  w1Read(record: BoardRecord, cycle: CycleResult, durationMs: number): void {
    record.addCycle(cycle, durationMs);
    const refused = cycle.outcomes.find((o) => !o.ok && o.error.code === 'read_failed' && isPermissionProblem(o.error.message));
    record.state = refused ? 'no-permission' : 'connected';
    record.detail = refused && !refused.ok ? refused.error.message : '';
    this.changed(record);
  }

  w1Scanned(record: BoardRecord, sensors: ReadonlyArray<{ ident: string; model: string }>): void {
    record.sensors.addScan(sensors);
    record.scanned = true;
    this.changed(record);
  }

  private records(): BoardRecord[] {
    return [...[...this.devices.values()].map((e) => e.record), ...[...this.w1.values()].map((e) => e.record)];
  }

  private entryForPort(port: unknown): DeviceEntry | undefined {
    for (const entry of this.devices.values()) if (entry.device.sharedPort === port) return entry;
    return undefined;
  }

  private sessionOpened(session: BridgeSession): void {
    const entry = this.entryForPort(session.port);
    if (entry) this.attachSession(entry, session);
  }

  private attachSession(entry: DeviceEntry, session: BridgeSession): void {
    entry.detachSession?.();
    const record = entry.record;
    entry.session = session;
    record.console.opened();
    const onBytes = (bytes: Buffer) => {
      record.receive(bytes, this.watching);
      if (this.watching) this.changed(record);
    };
    const onState = () => this.sessionState(entry, session);
    const onHello = (hello: HelloEvent) => {
      record.noteHello(hello);
      this.changed(record);
    };
    const onSensors = (sensors: SensorInfo[]) => {
      record.sensors.addScan(sensors);
      record.scanned = true;
      this.changed(record);
    };
    const onRead = (cycle: CycleResult, durationMs: number) => {
      record.addCycle(cycle, durationMs);
      this.changed(record);
    };
    const onBusError = (code: string) => record.addError(reportWords.busError(code));
    const listeners: Array<[EventEmitter, string, Parameters<EventEmitter['on']>[1]]> = [
      [session, 'bytes', onBytes],
      [session, 'state', onState],
      [session, 'read', onRead],
      [session.client, 'hello', onHello],
      [session.client, 'sensors', onSensors],
      [session.client, 'bus-error', onBusError],
    ];
    for (const [emitter, event, listener] of listeners) emitter.on(event, listener);
    entry.detachSession = () => {
      for (const [emitter, event, listener] of listeners) emitter.off(event, listener);
      if (entry.session === session) entry.session = undefined;
      entry.detachSession = undefined;
    };
    this.sessionState(entry, session);
  }

  private sessionState(entry: DeviceEntry, session: BridgeSession): void {
    const record = entry.record;
    const before = record.state;
    record.state = PORT_STATE[session.state] ?? 'idle';
    if (record.state === 'lost' && isPermissionProblem(session.detail)) record.state = 'no-permission';
    record.detail = session.state === 'ready' ? '' : session.detail;
    if (before !== record.state) {
      if (record.state === 'paused') record.consoleEvent('paused', '', undefined, this.watching);
      else if (before === 'paused') record.consoleEvent('resumed', '', undefined, this.watching);
      else if (record.state === 'lost') record.consoleEvent('lost', session.detail, undefined, this.watching);
      else if (before === 'lost') record.consoleEvent('back', '', undefined, this.watching);
    }
    if (session.state === 'closed') entry.detachSession?.();
    this.changed(record);
  }

  private flashProgress(port: SharedPort, progress: FlashProgress): void {
    const record = this.entryForPort(port)?.record;
    if (!record) return;
    const phaseChanged = record.flash?.phase !== progress.phase;
    record.flash = { phase: progress.phase, percent: progress.percent };
    // One console line per phase; the percentage moves in the board's header.
    if (phaseChanged) record.consoleEvent('flash', progress.phase, progress.percent, this.watching);
    this.changed(record);
  }

  private flashDone(port: SharedPort, result: FlashResult): void {
    const record = this.entryForPort(port)?.record;
    if (!record) return;
    record.flash = undefined;
    record.mac = result.mac;
    record.flashed = flashSummary(result);
    record.consoleEvent('flash-done', '', 100, this.watching);
    this.changed(record);
  }

  private flashFailed(port: SharedPort, error: Error): void {
    const record = this.entryForPort(port)?.record;
    if (!record) return;
    record.flash = undefined;
    record.consoleEvent('flash-failed', error.message, undefined, this.watching);
    this.changed(record);
  }

  private forget(id: string): void {
    const timer = this.timers.get(id);
    if (timer) clearTimeout(timer);
    this.timers.delete(id);
    this.lastSent.delete(id);
    this.sentSeq.delete(id);
    if (this.watching) this.publish?.({ removed: id });
  }

  /** Schedules an update for the board: at once when none went out in the last interval, else at its end. */
  private changed(record: BoardRecord): void {
    if (!this.watching || this.timers.has(record.id)) return;
    const wait = Math.max(0, (this.lastSent.get(record.id) ?? -Infinity) + UPDATE_INTERVAL_MS - this.now());
    const timer = setTimeout(() => {
      this.timers.delete(record.id);
      if (!this.watching || this.record(record.id) !== record) return;
      this.lastSent.set(record.id, this.now());
      const lines = record.consoleSince(this.sentSeq.get(record.id) ?? 0);
      this.sentSeq.set(record.id, record.console.lastSeq);
      this.publish?.({ board: record.view(), lines });
    }, wait);
    timer.unref();
    this.timers.set(record.id, timer);
  }
}

/** A w1 bus's id: the same path always gives the same id, and no path character reaches a URL or topic. */
export function w1Id(path: string): string {
  return `w1-${createHash('sha256').update(path).digest('hex').slice(0, 12)}`;
}

/** The one watch of this Node-RED process, shared by the hooks and the sidebar plugin. */
export const boardWatch = new BoardWatch();
