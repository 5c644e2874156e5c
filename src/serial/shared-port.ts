// One connection per serial port, shared by every node that uses the board behind it.
//
// API for nodes that talk to the firmware over the port (the DS18B20 read node, whose bridge session
// splits the bytes into lines itself: src/onewire/line-splitter.ts):
//
//   const port = acquireSharedPort({ path, baudRate, createLink });   // reference counted
//   const detach = port.attach({
//     data: (bytes) => ...,       // received bytes
//     paused: (reason) => ...,    // a flash took the port: stop writing until `resumed`
//     resumed: () => ...,         // the port is ours again (the board was reset by the flash)
//     lost: (error) => ...,       // the port went away (unplug) or could not be opened; reopen attempts follow
//                                 // (a listener attached while the port is lost hears it at once)
//     back: () => ...,            // the port is open again after `lost`
//     error: (error) => ...,      // anything else worth a warning
//   });
//   await port.write('read\n');   // rejects with PortUnavailableError while paused or lost
//   port.state                    // 'idle' | 'opening' | 'open' | 'paused' | 'lost' | 'released'
//   detach();                     // the connection closes when the last user detaches
//   await port.releaseReference(); // when the owning config node closes; the last reference closes the port
//
// The flasher takes the port with `await port.acquireExclusive()`: the shared connection closes,
// attached users get `paused`; `lease.release()` reopens it and they get `resumed`. A second
// acquireExclusive while one is held is refused with PortInUseError.
//
// Ports are told apart by the device file their path leads to: `/dev/serial/by-id/usb-…` and the
// `/dev/ttyUSB0` it links to are one port, so a flash through either name holds both.
import { EventEmitter } from 'node:events';
import { realpathSync } from 'node:fs';
import { isProvidedPath } from './port-providers';
import { SerialLink, closeLink, openLink, writeLink } from './serial-link';

export type SerialLinkCreator = (path: string, baudRate: number) => SerialLink;

export type SharedPortState = 'idle' | 'opening' | 'open' | 'paused' | 'lost' | 'released';

export interface SharedPortListener {
  data?(bytes: Buffer): void;
  paused?(reason: string): void;
  resumed?(): void;
  lost?(error: Error): void;
  back?(): void;
  error?(error: Error): void;
}

export interface ExclusiveLease {
  readonly path: string;
  /** Gives the port back to the shared users. Safe to call more than once. */
  release(): Promise<void>;
}

export class PortUnavailableError extends Error {
  override name = 'PortUnavailableError';
}

export class PortInUseError extends Error {
  override name = 'PortInUseError';
}

export interface SharedPortOptions {
  path: string;
  baudRate: number;
  createLink: SerialLinkCreator;
  /** Time between reopen attempts after the port went away. */
  reopenIntervalMs?: number;
}

const DEFAULT_REOPEN_INTERVAL_MS = 2000;

export class SharedPort {
  readonly path: string;
  readonly baudRate: number;
  private readonly createLink: SerialLinkCreator;
  private readonly reopenIntervalMs: number;
  private readonly events = new EventEmitter();
  private readonly listeners = new Set<SharedPortListener>();
  private link: SerialLink | undefined;
  private currentState: SharedPortState = 'idle';
  private exclusive = false;
  private reopenTimer: NodeJS.Timeout | undefined;
  private opening: Promise<void> | undefined;
  private lostError: Error | undefined;
  references = 0;

  /** `key` is the registry's name for the port (see portKey). */
  constructor(
    options: SharedPortOptions,
    private readonly key = options.path,
  ) {
    this.path = options.path;
    this.baudRate = options.baudRate;
    this.createLink = options.createLink;
    this.reopenIntervalMs = options.reopenIntervalMs ?? DEFAULT_REOPEN_INTERVAL_MS;
    this.events.setMaxListeners(0);
  }

  get state(): SharedPortState {
    return this.currentState;
  }

  get isExclusive(): boolean {
    return this.exclusive;
  }

  /** Starts delivering events to `listener`; opens the port for the first user. */
  attach(listener: SharedPortListener): () => void {
    this.listeners.add(listener);
    if (this.exclusive) listener.paused?.('the port is being flashed');
    else if (this.currentState === 'idle') void this.openShared();
    else if (this.currentState === 'lost' && this.lostError) listener.lost?.(this.lostError);
    return () => {
      if (!this.listeners.delete(listener)) return;
      if (this.listeners.size === 0 && !this.exclusive) void this.closeShared('idle');
    };
  }

  async write(data: string | Uint8Array): Promise<void> {
    if (this.opening) await this.opening;
    const link = this.link;
    if (this.exclusive) throw new PortUnavailableError(`${this.path} is being flashed`);
    if (!link || this.currentState !== 'open') throw new PortUnavailableError(`${this.path} is not open (${this.currentState})`);
    await writeLink(link, typeof data === 'string' ? Buffer.from(data, 'utf8') : data);
  }

  /** Takes the port for a flash; the shared connection is closed until the lease is released. */
  async acquireExclusive(): Promise<ExclusiveLease> {
    if (this.currentState === 'released') throw new PortUnavailableError(`${this.path} is no longer configured`);
    if (this.exclusive) throw new PortInUseError(`${this.path} is already being flashed: wait for that flash to finish`);
    this.exclusive = true;
    this.stopReopening();
    if (this.opening) await this.opening.catch(() => undefined);
    await this.closeShared('paused');
    this.notify((l) => l.paused?.('the port is being flashed'));
    let released = false;
    return {
      path: this.path,
      release: async () => {
        if (released) return;
        released = true;
        this.exclusive = false;
        if (this.currentState === 'released') return;
        this.currentState = 'idle';
        if (this.listeners.size > 0) {
          await this.openShared();
          if (this.state === 'open') this.notify((l) => l.resumed?.());
        }
      },
    };
  }

  /** Drops one reference; the last one closes the port and stops reopen attempts. */
  async releaseReference(): Promise<void> {
    this.references = Math.max(0, this.references - 1);
    if (this.references > 0) return;
    if (registry.get(this.key) === this) registry.delete(this.key);
    this.stopReopening();
    this.listeners.clear();
    await this.closeShared('released');
  }

  private notify(call: (listener: SharedPortListener) => void): void {
    for (const listener of [...this.listeners]) {
      try {
        call(listener);
      } catch (error) {
        // One user's failing callback must not stop the others from hearing about the port.
        this.events.emit('listener-error', error);
      }
    }
  }

  private openShared(): Promise<void> {
    if (this.opening) return this.opening;
    const wasLost = this.currentState === 'lost';
    this.currentState = 'opening';
    const link = this.createLink(this.path, this.baudRate);
    this.opening = openLink(link).then(
      () => {
        this.opening = undefined;
        if (this.exclusive || this.currentState !== 'opening' || this.listeners.size === 0) {
          void closeLink(link);
          if (this.currentState === 'opening') this.currentState = this.exclusive ? 'paused' : 'idle';
          return;
        }
        this.link = link;
        this.currentState = 'open';
        link.on('data', (chunk) => this.notify((l) => l.data?.(chunk)));
        link.on('close', (error) => this.onClosed(link, error ?? undefined));
        link.on('error', (error) => this.notify((l) => l.error?.(error)));
        if (wasLost) this.notify((l) => l.back?.());
      },
      (error: Error) => {
        this.opening = undefined;
        if (this.currentState !== 'opening') return;
        this.markLost(error, wasLost);
      },
    );
    return this.opening;
  }

  private onClosed(link: SerialLink, error: Error | undefined): void {
    if (this.link !== link) return;
    this.link = undefined;
    if (this.currentState !== 'open') return;
    this.markLost(error ?? new Error(`${this.path} closed unexpectedly`), false);
  }

  private markLost(error: Error, alreadyLost: boolean): void {
    this.currentState = 'lost';
    this.lostError = error;
    if (!alreadyLost) this.notify((l) => l.lost?.(error));
    this.scheduleReopen();
  }

  private scheduleReopen(): void {
    this.stopReopening();
    this.reopenTimer = setTimeout(() => {
      this.reopenTimer = undefined;
      if (this.currentState === 'lost' && !this.exclusive && this.listeners.size > 0) void this.openShared();
    }, this.reopenIntervalMs);
  }

  private stopReopening(): void {
    if (this.reopenTimer) clearTimeout(this.reopenTimer);
    this.reopenTimer = undefined;
  }

  private async closeShared(nextState: SharedPortState): Promise<void> {
    const link = this.link;
    this.link = undefined;
    this.currentState = nextState;
    if (nextState !== 'paused') this.stopReopening();
    if (link) await closeLink(link);
  }
}

const registry = new Map<string, SharedPort>();

/**
 * The device file `path` leads to, symlinks resolved. A path that does not resolve (the board is
 * unplugged, or the system has no such file) and a path a port provider claims (`sim:<name>`) stand
 * for themselves.
 */
function portKey(path: string): string {
  if (isProvidedPath(path)) return path;
  try {
    return realpathSync(path);
  } catch {
    return path;
  }
}

/**
 * The shared port for `path` (or any other name of the same device), created on first use. Every call
 * adds a reference that `releaseReference()` gives back. A second user asking for another baud rate
 * or another name of the device gets the first one's.
 */
export function acquireSharedPort(options: SharedPortOptions): SharedPort {
  const key = portKey(options.path);
  let port = registry.get(key);
  if (!port) {
    port = new SharedPort(options, key);
    registry.set(key, port);
  }
  port.references += 1;
  return port;
}

/** The shared port for `path`, or another name of the same device, if some node holds it. */
export function findSharedPort(path: string): SharedPort | undefined {
  return registry.get(portKey(path));
}
