// The command line of esp8266-bridge-check, parsed into options or refused with the reason.
import { argumentErrors } from './words';

export interface CheckOptions {
  port: string;
  cycles: number;
  flash: boolean;
  /** How the flash reaches the ROM loader and restarts the board: DTR/RTS, or the user's buttons. */
  reset: 'auto' | 'none';
  flashBaud: number;
  /** With --flash: a file to save what the write replaces in, read before anything is erased. */
  backup?: string;
}

export type ParsedArguments = { kind: 'help' } | { kind: 'check'; options: CheckOptions };

export class ArgumentError extends Error {
  override name = 'ArgumentError';
}

export const DEFAULT_CYCLES = 5;
const MAX_CYCLES = 1000;
export const DEFAULT_FLASH_BAUD = 460800;
// The lowest rate the ROM loader talks at, and the highest that USB-UART bridges on these boards
// (CH340, CP2102) carry reliably.
const MIN_FLASH_BAUD = 115200;
const MAX_FLASH_BAUD = 921600;

function wholeNumberIn(text: string, min: number, max: number, error: string): number {
  if (!/^\d+$/.test(text)) throw new ArgumentError(error);
  const value = Number(text);
  if (value < min || value > max) throw new ArgumentError(error);
  return value;
}

export function parseCheckArguments(args: readonly string[]): ParsedArguments {
  // Someone asking for help gets it, whatever else is on the line.
  if (args.includes('-h') || args.includes('--help')) return { kind: 'help' };
  let port: string | undefined;
  let cycles = DEFAULT_CYCLES;
  let flash = false;
  let reset: CheckOptions['reset'] | undefined;
  let flashBaud: number | undefined;
  let backup: string | undefined;
  for (let i = 0; i < args.length; i++) {
    const arg = args[i];
    const value = (): string => {
      const next = args[++i];
      if (next === undefined || next.startsWith('-')) throw new ArgumentError(argumentErrors.needsValue(arg));
      return next;
    };
    if (arg === '--flash') flash = true;
    else if (arg === '--cycles') cycles = wholeNumberIn(value(), 1, MAX_CYCLES, argumentErrors.cycles);
    else if (arg === '--backup') backup = value();
    else if (arg === '--flash-baud') flashBaud = wholeNumberIn(value(), MIN_FLASH_BAUD, MAX_FLASH_BAUD, argumentErrors.flashBaud);
    else if (arg === '--reset') {
      const mode = value();
      if (mode !== 'auto' && mode !== 'none') throw new ArgumentError(argumentErrors.reset);
      reset = mode;
    } else if (arg.startsWith('-')) throw new ArgumentError(argumentErrors.unknownOption(arg));
    else if (port !== undefined) throw new ArgumentError(argumentErrors.extraPort(arg));
    else port = arg;
  }
  if (port === undefined) throw new ArgumentError(argumentErrors.missingPort);
  if (!flash && reset !== undefined) throw new ArgumentError(argumentErrors.flashOnly('--reset'));
  if (!flash && flashBaud !== undefined) throw new ArgumentError(argumentErrors.flashOnly('--flash-baud'));
  if (!flash && backup !== undefined) throw new ArgumentError(argumentErrors.flashOnly('--backup'));
  return {
    kind: 'check',
    options: {
      port,
      cycles,
      flash,
      reset: reset ?? 'auto',
      flashBaud: flashBaud ?? DEFAULT_FLASH_BAUD,
      ...(backup === undefined ? {} : { backup }),
    },
  };
}
