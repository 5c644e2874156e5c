import { EventEmitter } from 'events';
import { CycleResult } from './bridge-client';
import { BridgePort, BridgeSession, SessionState, acquireBridgeSession, releaseBridgeSession } from './bridge-session';
import { FAMILY_NAMES } from './rom';
import { W1Reader } from './w1-reader';

/**
 * Where readings come from, behind one interface: the ESP8266 bridge on a shared serial port, or the Linux
 * w1 sysfs tree. Events: 'state' (SourceState) when the source becomes usable or not; a W1Source also says
 * 'read' (CycleResult, duration in ms) after each read, for observers such as the editor's board sidebar.
 */

export interface SensorListing {
  ident: string;
  model: string;
}

/** 'ready' when reads can work; otherwise a reason the reader should show and not read for now. */
export interface SourceState {
  usable: boolean;
  kind: SessionState | 'ready';
  detail: string;
}

export interface SensorSource extends EventEmitter {
  readonly state: SourceState;
  /** Reads the given sensors (all when empty); never one outcome for a sensor that was not asked for. */
  read(idents: string[]): Promise<CycleResult>;
  list(): Promise<SensorListing[]>;
  close(): void;
}

export class W1Source extends EventEmitter implements SensorSource {
  readonly state: SourceState = { usable: true, kind: 'ready', detail: 'ready' };
  private readonly reader: W1Reader;

  constructor(root: string | undefined) {
    super();
    this.reader = new W1Reader({ root });
  }

  async read(idents: string[]): Promise<CycleResult> {
    const started = performance.now();
    const result: CycleResult = { trigger: 'read', outcomes: await this.reader.readAll(idents) };
    this.emit('read', result, performance.now() - started);
    return result;
  }

  async list(): Promise<SensorListing[]> {
    const idents = await this.reader.listSensors();
    return idents.map((ident) => ({ ident, model: FAMILY_NAMES[parseInt(ident.slice(0, 2), 16)] ?? 'unknown' }));
  }

  close(): void {
    this.removeAllListeners();
  }
}

export class BridgeSource extends EventEmitter implements SensorSource {
  private readonly session: BridgeSession;
  private readonly onState = () => this.emit('state', this.state);

  constructor(port: BridgePort) {
    super();
    this.session = acquireBridgeSession(port);
    this.session.on('state', this.onState);
  }

  get state(): SourceState {
    const kind = this.session.state;
    return { usable: kind === 'ready' || kind === 'connecting', kind, detail: this.session.detail };
  }

  async read(): Promise<CycleResult> {
    // The bridge reads every sensor in one cycle anyway; the selection happens afterwards.
    return this.session.read();
  }

  async list(): Promise<SensorListing[]> {
    const sensors = await this.session.scan();
    return sensors.map((s) => ({ ident: s.ident, model: s.model }));
  }

  close(): void {
    this.session.off('state', this.onState);
    releaseBridgeSession(this.session);
    this.removeAllListeners();
  }
}
