import { EventEmitter } from 'events';
import { CycleResult } from './bridge-client';
import { BridgePort, BridgeSession, SessionState, acquireBridgeSession, releaseBridgeSession } from './bridge-session';
import { BridgeResolution } from './bridge-resolution';
import { ResolutionReport } from './resolution-report';
import { FAMILY_NAMES } from './rom';
import { SharedRead } from './shared-read';
import { W1Reader } from './w1-reader';
import { W1Resolution } from './w1-resolution';

/**
 * Where readings come from, behind one interface: the ESP8266 bridge on a shared serial port, or the Linux
 * w1 sysfs tree. Events: 'state' (SourceState) when the source becomes usable or not, and 'resolution'
 * (ResolutionReport) when sensors keep another resolution than the one asked for; a W1Source also says
 * 'read' (CycleResult, duration in ms) after each read, for observers such as the editor's board sidebar.
 */

export interface SourceOptions {
  /** 9..12 bits to set on every sensor that can change; undefined leaves them as they are. */
  resolution?: number;
}

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
  private readonly resolution: W1Resolution | undefined;

  constructor(root: string | undefined, options: SourceOptions = {}) {
    super();
    this.reader = new W1Reader({ root });
    if (options.resolution !== undefined) this.resolution = new W1Resolution(this.reader.root, options.resolution);
  }

  read(idents: string[]): Promise<CycleResult> {
    return this.inFlight.run(idents.join(','), async () => {
      if (this.resolution) await this.applyResolution(idents);
      const started = performance.now();
      const result: CycleResult = { trigger: 'read', outcomes: await this.reader.readAll(idents) };
      this.emit('read', result, performance.now() - started);
      return result;
    });
  }

  /** Before the first read of each sensor, so its readings come at the resolution asked for. */
  private async applyResolution(idents: string[]): Promise<void> {
    const sensors = idents.length > 0 ? idents : await this.reader.listSensors().catch(() => []);
    const report = await this.resolution?.apply(sensors);
    if (report) this.emit('resolution', report satisfies ResolutionReport);
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
  private readonly resolution: BridgeResolution | undefined;

  constructor(port: BridgePort, options: SourceOptions = {}) {
    super();
    this.session = acquireBridgeSession(port);
    this.session.on('state', this.onState);
    if (options.resolution !== undefined) {
      this.resolution = new BridgeResolution(this.session.client, options.resolution, this.session.state === 'ready');
      this.resolution.on('report', (report: ResolutionReport) => this.emit('resolution', report));
    }
  }

  get state(): SourceState {
    const kind = this.session.state;
    return { usable: kind === 'ready' || kind === 'connecting', kind, detail: this.session.detail };
  }

  /** The board's MAC as its firmware says it in the hello line (undefined for firmware before 1.1.0). */
  get mac(): string | undefined {
    return this.session.mac;
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
    this.resolution?.stop();
    this.session.off('state', this.onState);
    releaseBridgeSession(this.session);
    this.removeAllListeners();
  }
}
