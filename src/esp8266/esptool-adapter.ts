// The one module that knows esptool-js (an ES module, loaded from this CommonJS package). It builds an
// ESPLoader fitted to Node and to the ESP8266, and hands callers our own `EspLoader` type, so that
// esptool-js's types and its internals stay below this file. test/src/esp8266/esptool-adapter.test.ts
// checks each assumption below against the installed esptool-js, by name.
//
// Supported extension points used: the serial device object handed to Transport (our Web-Serial-like
// adapter), a Transport subclass overriding the public `trace` and `read`, ESPLoader's options
// (`transport`, rates, `terminal`, `resetConstructors`), and `transport.baudrate` for the line's rate.
//
// Assumptions on esptool-js's internals, and what upstream would need to offer instead:
// - transport-buffer: Transport keeps received bytes in its private `buffer`, which readLoop assigns
//   as bytes arrive and read() polls every 1 ms. Watching the assignment wakes a waiting read at once
//   (each reply would otherwise cost up to a poll period: per 16 KiB block, per register read).
//   Upstream: a notification from readLoop (or read() awaiting data) instead of the sleep(1) loop.
// - identify-chip: connect() identifies the chip through the private `identifyChip()`, which asks
//   GET_SECURITY_INFO first; the ESP8266 ROM does not know that command, and esptool-js then waits for
//   the input to fall quiet (at least 100 ms) before it reads the magic register anyway. It is replaced
//   on the instance to read the magic register first. Upstream: try the magic register first for
//   chips whose magic is unique, or an ESPLoader option naming the expected chip.
// - esp8266-target: the ESP8266's ROM class is not exported from the package root; it comes from
//   the deep path `esptool-js/lib/targets/esp8266.js`. Upstream: export the targets (or a
//   chip-by-name lookup) from the package root.
// - sync-per-attempt: connect() sends every SYNC through `this.sync()`, so replacing `sync` on the
//   instance limits how many are sent. Upstream: an option for the SYNCs per connect attempt.
// - reset-object: esptool-js calls only `reset()` on what a `resetConstructors` entry returns, so a
//   plain object serves where the typings ask for its HardReset class. Upstream: type the reset
//   constructors by the ResetStrategy interface.
import type { ESPLoader, Transport } from 'esptool-js' with { 'resolution-mode': 'import' };
import type { WebSerialAdapter } from '../serial/web-serial-adapter';
import { ControlLinePort, hardReset, resetIntoBootloader } from './reset';

type EsptoolModule = typeof import('esptool-js', { with: { 'resolution-mode': 'import' } }); // eslint-disable-line @typescript-eslint/no-unsafe-assignment -- the linter's type service does not resolve this import attribute (tsc does); nothing is assigned
export type Logger = (message: string) => void;

/** The part of the loader's transport callers use: SLIP packets in and out, and the line's rate. */
export interface LoaderTransport {
  /** The rate the line runs at now (after any baud change, or the fall back to the ROM rate). */
  readonly baudrate: number;
  read(timeout: number): Promise<Uint8Array>;
  write(data: Uint8Array): Promise<void>;
}

/** The chip esptool-js identified; its methods take the loader that reaches it. */
export interface LoaderChip {
  readonly CHIP_NAME: string;
  getChipDescription(loader: EspLoader): Promise<string>;
  readMac(loader: EspLoader): Promise<string>;
}

/** The loader as this package uses it: the ESPLoader members callers rely on, and nothing else. */
export interface EspLoader {
  readonly chip: LoaderChip;
  readonly transport: LoaderTransport;
  readonly ESP_READ_FLASH: number;
  readonly FLASH_READ_TIMEOUT: number;
  readonly FLASH_WRITE_SIZE: number;
  readonly ERASE_WRITE_TIMEOUT_PER_MB: number;
  connect(mode: 'default_reset' | 'no_reset', attempts: number, detecting: boolean): Promise<void>;
  runStub(): Promise<unknown>;
  changeBaud(): Promise<void>;
  readFlashId(): Promise<number>;
  eraseFlash(): Promise<unknown>;
  flashMd5sum(address: number, size: number): Promise<string>;
  checkCommand(description: string, op: number, data: Uint8Array): Promise<unknown>;
  timeoutPerMb(secondsPerMb: number, sizeBytes: number): number;
  flashBegin(size: number, offset: number): Promise<number>;
  flashDeflBegin(size: number, compressedSize: number, offset: number): Promise<number>;
  flashBlock(data: Uint8Array, seq: number, timeout: number): Promise<void>;
  flashDeflBlock(data: Uint8Array, seq: number, timeout: number): Promise<void>;
  flashFinish(reboot: boolean, timeout: number): Promise<void>;
  flashDeflFinish(reboot: boolean, timeout: number): Promise<void>;
}

/** CHIP_DETECT_MAGIC_REG_ADDR and the ESP8266's value there (esptool targets/esp8266.py). */
const CHIP_MAGIC_REGISTER = 0x40001000;
const ESP8266_MAGIC = 0xfff0c101;

let loading: Promise<EsptoolModule> | undefined;

/** The esptool-js module; module "node16" keeps this a real import() in the compiled CommonJS. */
function loadEsptool(): Promise<EsptoolModule> {
  loading ??= import('esptool-js');
  return loading;
}

export interface LoaderSetup {
  adapter: WebSerialAdapter;
  baudRate: number;
  romBaudRate: number;
  log: Logger;
}

/** esptool-js's own loader, for code that drives its high-level API (the simulator's conformance tests). */
export interface EsptoolSession {
  loader: ESPLoader;
}

/** A loader over our adapter, typed by what this package uses of it. */
export async function createLoader(setup: LoaderSetup): Promise<EspLoader> {
  const { loader } = await createEsptoolLoader(setup);
  return loader;
}

/**
 * An ESPLoader over our adapter. The reset constructors drive the adapter directly with both lines
 * set together: Transport's own setRTS re-asserts a stale DTR state (its `_DTR_state` is only ever
 * set to true by setSignals), and esptool-js's HardReset never pulses EN.
 */
export async function createEsptoolLoader(setup: LoaderSetup): Promise<EsptoolSession> {
  const esptool = await loadEsptool();
  const { adapter, log } = setup;

  const transport = createTransport(esptool, adapter, log);
  const lines: ControlLinePort = adapter;
  const loader = new esptool.ESPLoader({
    transport,
    baudrate: setup.baudRate,
    romBaudrate: setup.romBaudRate,
    debugLogging: false,
    terminal: { clean: () => undefined, write: log, writeLine: log },
    resetConstructors: {
      classicReset: (resetTransport, delayMs) => ({
        transport: resetTransport,
        resetDelay: delayMs,
        reset: () => resetIntoBootloader(lines, delayMs),
      }),
      // Assumption reset-object.
      hardReset: (resetTransport) =>
        ({ transport: resetTransport, reset: () => hardReset(lines) }) as unknown as InstanceType<EsptoolModule['HardReset']>,
    },
  });
  identifyEsp8266ByMagic(loader);
  return { loader };
}

/**
 * Lets the loader send only `syncs` SYNC packets; later ones fail at once, so esptool-js's connect
 * attempt (five SYNCs, each waiting 100 ms for an answer) ends after the first. Returns the undo.
 * Assumption sync-per-attempt.
 */
export function limitSyncs(loader: EspLoader, syncs: number): () => void {
  const target = loader as unknown as { sync: () => Promise<unknown> };
  const sync = target.sync.bind(loader);
  let sent = 0;
  target.sync = () => (sent++ < syncs ? sync() : Promise.reject(new Error('no answer to the SYNC at the fast rate')));
  return () => {
    delete (target as Partial<typeof target>).sync;
  };
}

type ChipIdentifier = { identifyChip(): Promise<ESPLoader['chip']> };

/** Assumptions identify-chip and esp8266-target: any magic but the ESP8266's takes esptool-js's own path. */
function identifyEsp8266ByMagic(loader: ESPLoader): void {
  const identifier = loader as unknown as ChipIdentifier;
  const original = identifier.identifyChip.bind(loader);
  identifier.identifyChip = async () => {
    const magic = (await loader.readReg(CHIP_MAGIC_REGISTER)) >>> 0;
    if (magic !== ESP8266_MAGIC) return original();
    const { ESP8266ROM } = await import('esptool-js/lib/targets/esp8266.js');
    return new ESP8266ROM();
  };
}

/**
 * esptool-js's Transport fitted to Node and to our adapter: tracing goes to the logger (Transport logs
 * to console.log unconditionally), a read fails at once when the port goes away, and a waiting read
 * wakes when bytes arrive instead of polling (assumption transport-buffer).
 */
function createTransport(esptool: EsptoolModule, adapter: WebSerialAdapter, log: Logger): Transport {
  // Resolves never; rejects as soon as the port goes away, so a read waiting for a reply fails at once
  // instead of after esptool-js's per-command timeout.
  const portLost = new Promise<never>((_resolve, reject) => adapter.onLost(reject));
  portLost.catch(() => undefined);

  class LoggingTransport extends esptool.Transport {
    private readonly dataWaiters = new Set<() => void>();

    constructor(device: SerialPort, tracing: boolean) {
      super(device, tracing);
      let buffer: Uint8Array = this.peek();
      Object.defineProperty(this, 'buffer', {
        get: () => buffer,
        set: (bytes: Uint8Array) => {
          buffer = bytes;
          if (bytes.length > 0) this.wakeReaders();
        },
      });
    }

    override trace(message: string): void {
      log(message);
    }

    override async read(timeout: number): Promise<Uint8Array> {
      if (adapter.lostError) throw adapter.lostError;
      const waited = await this.dataOrTimeout(timeout);
      const reply = super.read(Math.max(1, timeout - waited));
      // The abandoned read still ends with its timeout error; nobody waits for it any more.
      reply.catch(() => undefined);
      return Promise.race([reply, portLost]);
    }

    /** Resolves, with the milliseconds waited, once the buffer holds bytes, the timeout passed or the port went away. */
    private dataOrTimeout(timeout: number): Promise<number> {
      if (this.inWaiting() > 0) return Promise.resolve(0);
      const started = Date.now();
      return new Promise((resolve) => {
        const done = () => {
          clearTimeout(timer);
          this.dataWaiters.delete(done);
          stopLost();
          resolve(Date.now() - started);
        };
        const timer = setTimeout(done, timeout);
        const stopLost = adapter.onLost(done);
        this.dataWaiters.add(done);
      });
    }

    private wakeReaders(): void {
      for (const wake of [...this.dataWaiters]) wake();
    }
  }

  return new LoggingTransport(adapter as unknown as SerialPort, false);
}
