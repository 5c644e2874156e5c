// Loads esptool-js (an ES module) from this CommonJS package and builds an ESPLoader fitted to Node
// and to the ESP8266: our Transport (transport.ts), our reset sequences, and chip identification by
// the magic register.
import type { ESPLoader as EspLoaderType, Transport as TransportType } from 'esptool-js' with { 'resolution-mode': 'import' };
import { WebSerialAdapter } from '../serial/web-serial-adapter';
import { ControlLinePort, hardReset, resetIntoBootloader } from './reset';
import { createTransport } from './transport';

export type EsptoolModule = typeof import('esptool-js', { with: { 'resolution-mode': 'import' } }); // eslint-disable-line @typescript-eslint/no-unsafe-assignment -- the linter's type service does not resolve this import attribute (tsc does); nothing is assigned
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

  const transport = createTransport(esptool, adapter, log);
  const lines: ControlLinePort = adapter;
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
