// Loads esptool-js (an ES module) from this CommonJS package and fits it to Node:
// its Transport traces to console.log unconditionally, so tracing goes to our logger instead.
import type { ESPLoader as EspLoaderType, Transport as TransportType } from 'esptool-js' with { 'resolution-mode': 'import' };
import { WebSerialAdapter } from '../serial/web-serial-adapter';
import { ControlLinePort, hardReset, resetIntoBootloader } from './reset';

export type EsptoolModule = typeof import('esptool-js', { with: { 'resolution-mode': 'import' } });
export type EspLoader = EspLoaderType;
export type Logger = (message: string) => void;

/** CHIP_DETECT_MAGIC_REG_ADDR and the ESP8266's value there (esptool targets/esp8266.py). */
const CHIP_MAGIC_REGISTER = 0x40001000;
const ESP8266_MAGIC = 0xfff0c101;

let loading: Promise<EsptoolModule> | undefined;

/** The esptool-js module; module "node16" keeps this a real import() in the compiled CommonJS. */
export function loadEsptool(): Promise<EsptoolModule> {
  loading ??= import('esptool-js');
  return loading;
}

export interface LoaderSetup {
  adapter: WebSerialAdapter;
  baudRate: number;
  romBaudRate: number;
  log: Logger;
}

export interface EsptoolSession {
  loader: EspLoaderType;
  transport: TransportType;
  esptool: EsptoolModule;
}

/**
 * An ESPLoader over our adapter. The reset constructors drive the adapter directly with both lines
 * set together: Transport's own setRTS re-asserts a stale DTR state (its `_DTR_state` is only ever
 * set to true by setSignals), and esptool-js's HardReset never pulses EN.
 */
export async function createLoader(setup: LoaderSetup): Promise<EsptoolSession> {
  const esptool = await loadEsptool();
  const { adapter, log } = setup;

  // Resolves never; rejects as soon as the port goes away, so a read waiting for a reply fails at once
  // instead of after esptool-js's per-command timeout.
  const portLost = new Promise<never>((_resolve, reject) => adapter.onLost(reject));
  portLost.catch(() => undefined);

  class LoggingTransport extends esptool.Transport {
    private readonly dataWaiters = new Set<() => void>();

    constructor(device: SerialPort, tracing: boolean) {
      super(device, tracing);
      // Transport.read polls its buffer every 1 ms while it waits, so each reply costs up to a poll
      // period more than the wire takes: per 16 KiB block, per register read. The read loop assigns the
      // buffer whenever bytes arrive; seeing that assignment wakes a waiting read at once. (Could go
      // upstream as a notification from readLoop instead of the sleep(1) loop.)
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

  const lines: ControlLinePort = adapter;
  const transport = new LoggingTransport(adapter as unknown as SerialPort, false);
  const loader = new esptool.ESPLoader({
    transport,
    baudrate: setup.baudRate,
    romBaudrate: setup.romBaudRate,
    debugLogging: false,
    terminal: { clean: () => undefined, write: log, writeLine: log },
    resetConstructors: {
      classicReset: (resetTransport, delayMs) => ({ transport: resetTransport, resetDelay: delayMs, reset: () => resetIntoBootloader(lines, delayMs) }) as unknown as InstanceType<EsptoolModule['ClassicReset']>,
      hardReset: (resetTransport) => ({ transport: resetTransport, reset: () => hardReset(lines) }) as unknown as InstanceType<EsptoolModule['HardReset']>,
    },
  });
  identifyEsp8266ByMagic(loader);
  return { loader, transport, esptool };
}

type ChipIdentifier = { identifyChip(): Promise<EspLoaderType['chip']> };

/**
 * esptool-js identifies a chip by asking GET_SECURITY_INFO first. The ESP8266 ROM does not know that
 * command, and esptool-js then waits for the input to fall quiet (at least 100 ms) before it reads the
 * magic register anyway. The magic register alone identifies an ESP8266, so it is read first; any other
 * value takes esptool-js's own path. (A change that could go upstream: try the magic register first
 * and keep GET_SECURITY_INFO for chips whose magic is not unique.)
 */
function identifyEsp8266ByMagic(loader: EspLoaderType): void {
  const identifier = loader as unknown as ChipIdentifier;
  const original = identifier.identifyChip.bind(loader);
  identifier.identifyChip = async () => {
    const magic = (await loader.readReg(CHIP_MAGIC_REGISTER)) >>> 0;
    if (magic !== ESP8266_MAGIC) return original();
    const { ESP8266ROM } = await import('esptool-js/lib/targets/esp8266.js');
    return new ESP8266ROM();
  };
}
