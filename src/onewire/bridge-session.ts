import { EventEmitter } from 'events';
import { BridgeClient, BridgeClientOptions, CycleResult, FLASH_BRIDGE_ADVICE, HelloEvent, SensorInfo } from './bridge-client';
import { isBridgeHello } from './bridge-protocol';
import type { SharedPortListener } from '../serial/shared-port';

/**
 * Keeps a BridgeClient talking to the bridge firmware across everything that happens to a USB serial port:
 * a flash taking the port and giving it back, the board being unplugged and plugged in again, and a board
 * that runs other firmware until someone flashes the bridge. One session per port, shared by every reader.
 *
 * Events: 'state' (SessionState, detail) and 'cycle' (CycleResult) for cycles the board ran by itself;
 * for observers such as the editor's board sidebar, 'bytes' (every received chunk) and 'read' (CycleResult,
 * duration in ms) for each read cycle asked for. `bridgeSessionEvents` says 'open' (BridgeSession) for each new session.
 */

/** What the session needs from a shared serial port (src/serial/shared-port.ts provides it). */
export interface BridgePort {
  readonly path: string;
  attach(listener: Omit<SharedPortListener, 'line'>): () => void;
  write(data: string): Promise<void>;
}

export type SessionState = 'connecting' | 'ready' | 'no-bridge' | 'paused' | 'lost' | 'closed';

export interface BridgeSessionOptions extends Omit<BridgeClientOptions, 'write'> {
  /** How often to ask again when no bridge answered (the user may be flashing it right now). */
  retryMs?: number;
}

export class BridgeSession extends EventEmitter {
  readonly client: BridgeClient;
  private currentState: SessionState = 'connecting';
  private currentDetail = 'connecting to the board';
  private readonly detach: () => void;
  private retryTimer: NodeJS.Timeout | undefined;
  private readonly retryMs: number;
  private helloInFlight = false;
  private bridgeMac: string | undefined;

  constructor(
    readonly port: BridgePort,
    options: BridgeSessionOptions = {},
  ) {
    super();
    this.retryMs = options.retryMs ?? 3000;
    this.client = new BridgeClient({ ...options, write: (line) => this.port.write(line) });
    this.client.on('cycle', (cycle: CycleResult) => this.emit('cycle', cycle));
    this.client.on('hello', (hello: HelloEvent) => this.onHello(hello));
    this.client.on('protocol-error', (error) => this.emit('protocol-error', error));
    this.detach = port.attach({
      data: (bytes) => {
        this.client.receive(bytes);
        this.emit('bytes', bytes);
      },
      paused: () => this.interrupt('paused', 'paused while the board is being flashed'),
      resumed: () => this.connect(),
      lost: (error) => this.interrupt('lost', `the board is gone (${error.message}); waiting for it to come back`),
      back: () => this.connect(),
      error: (error) => this.emit('port-error', error),
    });
    // A port held by a flash, or lost, says so while we attach: wait for it to come back instead of
    // saying hello into a port that refuses every write and calling the board "no bridge".
    if (this.currentState === 'connecting') this.connect();
  }

  get state(): SessionState {
    return this.currentState;
  }

  /** A sentence for the state, for a status line or an error. */
  get detail(): string {
    return this.currentDetail;
  }

  /** The MAC the bridge's last hello named; undefined before one, and from firmware that does not say it. */
  get mac(): string | undefined {
    return this.bridgeMac;
  }

  /** Runs one read cycle; rejects with the reason when the bridge cannot be reached now. */
  async read(): Promise<CycleResult> {
    await this.settled();
    this.assertReady();
    const started = performance.now();
    const result = await this.client.read();
    this.emit('read', result, performance.now() - started);
    return result;
  }

  /** Scans the bus afresh and lists the sensors found. */
  async scan(): Promise<SensorInfo[]> {
    await this.settled();
    this.assertReady();
    return this.client.scan();
  }

  close(): void {
    this.stopRetry();
    this.setState('closed', 'closed');
    this.client.interrupt(new Error('the reader was closed'));
    this.detach();
  }

  /** Waits out a connection attempt, so no command goes to a board that turns out to run other firmware. */
  private async settled(): Promise<void> {
    if (this.currentState !== 'connecting') return;
    await new Promise<void>((resolve) => {
      const settled = (state: SessionState) => {
        if (state === 'connecting') return;
        this.off('state', settled);
        resolve();
      };
      this.on('state', settled);
    });
  }

  /** Checked right before a command is queued: the state may have changed while the caller waited. */
  private assertReady(): void {
    if (this.currentState !== 'ready') throw new Error(this.currentDetail);
  }

  private connect(): void {
    if (this.currentState === 'closed') return;
    this.stopRetry();
    this.setState('connecting', 'connecting to the board');
    this.sayHello();
  }

  private sayHello(): void {
    if (this.helloInFlight) return;
    this.helloInFlight = true;
    this.client.hello().then(
      () => {
        this.helloInFlight = false;
        if (this.currentState === 'connecting' || this.currentState === 'no-bridge') this.setState('ready', 'bridge ready');
      },
      (err: Error) => {
        this.helloInFlight = false;
        if (this.currentState !== 'connecting' && this.currentState !== 'no-bridge') return;
        this.setState('no-bridge', err.message.includes(FLASH_BRIDGE_ADVICE) ? err.message : `${err.message}: ${FLASH_BRIDGE_ADVICE}`);
        this.scheduleRetry();
      },
    );
  }

  /** A hello the board sent by itself means it rebooted: it tells us which firmware runs now. */
  private onHello(hello: HelloEvent): void {
    if (this.currentState === 'paused' || this.currentState === 'lost' || this.currentState === 'closed') return;
    this.bridgeMac = isBridgeHello(hello) ? hello.mac : undefined;
    if (isBridgeHello(hello)) {
      this.stopRetry();
      this.setState('ready', 'bridge ready');
    } else {
      this.setState('no-bridge', `the board runs "${hello.firmware}": ${FLASH_BRIDGE_ADVICE}`);
      this.scheduleRetry();
    }
  }

  private interrupt(state: 'paused' | 'lost', detail: string): void {
    if (this.currentState === 'closed') return;
    this.stopRetry();
    this.setState(state, detail);
    this.client.interrupt(new Error(detail));
  }

  private scheduleRetry(): void {
    this.stopRetry();
    this.retryTimer = setTimeout(() => {
      this.retryTimer = undefined;
      if (this.currentState === 'no-bridge') this.sayHello();
    }, this.retryMs);
  }

  private stopRetry(): void {
    if (this.retryTimer) clearTimeout(this.retryTimer);
    this.retryTimer = undefined;
  }

  private setState(state: SessionState, detail: string): void {
    const changed = state !== this.currentState || detail !== this.currentDetail;
    this.currentState = state;
    this.currentDetail = detail;
    if (changed) this.emit('state', state, detail);
  }
}

const sessions = new Map<BridgePort, { session: BridgeSession; users: number }>();

/** 'open' (BridgeSession) whenever a session starts on a port. */
export const bridgeSessionEvents = new EventEmitter();

/** The one session on `port`, created for the first user; give it back with releaseBridgeSession. */
export function acquireBridgeSession(port: BridgePort, options?: BridgeSessionOptions): BridgeSession {
  let entry = sessions.get(port);
  if (!entry || entry.session.state === 'closed') {
    entry = { session: new BridgeSession(port, options), users: 0 };
    sessions.set(port, entry);
    bridgeSessionEvents.emit('open', entry.session);
  }
  entry.users += 1;
  return entry.session;
}

export function releaseBridgeSession(session: BridgeSession): void {
  const entry = sessions.get(session.port);
  if (!entry || entry.session !== session) return;
  entry.users -= 1;
  if (entry.users <= 0) {
    sessions.delete(session.port);
    session.close();
  }
}

/** The session already open on `port`, if a reader holds one (the editor's sensor list uses it). */
export function findBridgeSession(port: BridgePort): BridgeSession | undefined {
  return sessions.get(port)?.session;
}
