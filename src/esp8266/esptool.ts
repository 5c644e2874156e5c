// Loads esptool-js (an ES module) from this CommonJS package and fits it to Node:
// its Transport traces to console.log unconditionally, so tracing goes to our logger instead.
import type { ESPLoader as EspLoaderType, Transport as TransportType } from 'esptool-js' with { 'resolution-mode': 'import' };
import { WebSerialAdapter } from '../serial/web-serial-adapter';
import { ControlLinePort, hardReset, resetIntoBootloader } from './reset';

export type EsptoolModule = typeof import('esptool-js', { with: { 'resolution-mode': 'import' } });
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

  class LoggingTransport extends esptool.Transport {
    override trace(message: string): void {
      log(message);
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
  return { loader, transport, esptool };
}
