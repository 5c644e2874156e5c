// Loads esptool-js (an ES module) from this CommonJS package and fits it to Node:
// its Transport traces to console.log unconditionally, so tracing goes to our logger instead.
import type { ESPLoader as EspLoaderType, Transport as TransportType } from 'esptool-js' with { 'resolution-mode': 'import' };
import { WebSerialAdapter } from '../serial/web-serial-adapter';
import { ControlLinePort, hardReset, resetIntoBootloader } from './reset';

export type EsptoolModule = typeof import('esptool-js', { with: { 'resolution-mode': 'import' } }); // eslint-disable-line @typescript-eslint/no-unsafe-assignment -- the linter's type service does not resolve this import attribute (tsc does); nothing is assigned
export type Logger = (message: string) => void;

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
    override trace(message: string): void {
      log(message);
    }

    override read(timeout: number): Promise<Uint8Array> {
      if (adapter.lostError) return Promise.reject(adapter.lostError);
      const reply = super.read(timeout);
      // The abandoned read still ends with its timeout error; nobody waits for it any more.
      reply.catch(() => undefined);
      return Promise.race([reply, portLost]);
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
      classicReset: (resetTransport, delayMs) => ({ transport: resetTransport, resetDelay: delayMs, reset: () => resetIntoBootloader(lines, delayMs) }),
      hardReset: (resetTransport) => ({ transport: resetTransport, reset: () => hardReset(lines) }) as unknown as InstanceType<EsptoolModule['HardReset']>,
    },
  });
  return { loader, transport, esptool };
}
