import { EventEmitter } from 'events';
import { CycleResult } from './bridge-client';
import { BridgePort, BridgeSession, SessionState, acquireBridgeSession, releaseBridgeSession } from './bridge-session';
import { FAMILY_NAMES } from './rom';
import { SharedRead } from './shared-read';
import { W1Reader } from './w1-reader';

/**
 * Where readings come from, behind one interface: the ESP8266 bridge on a shared serial port, or the Linux
 * w1 sysfs tree. Events: 'state' (SourceState) when the source becomes usable or not.
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
  private readonly inFlight = new SharedRead<CycleResult>();

  constructor(root: string | undefined) {
    super();
    this.reader = new W1Reader({ root });
  }

  read(idents: string[]): Promise<CycleResult> {
    return this.inFlight.run(idents.join(','), async () => ({ trigger: 'read', outcomes: await this.reader.readAll(idents) }));
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
  private readonly inFlight = new SharedRead<CycleResult>();

  constructor(port: BridgePort) {
    super();
    this.session = acquireBridgeSession(port);
    this.session.on('state', this.onState);
  }

  get state(): SourceState {
    const kind = this.session.state;
    return { usable: kind === 'ready' || kind === 'connecting', kind, detail: this.session.detail };
  }

  read(): Promise<CycleResult> {
    // The bridge reads every sensor in one cycle anyway; the selection happens afterwards.
    return this.inFlight.run('all', () => this.session.read());
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
