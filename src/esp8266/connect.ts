// Reset the board into its ROM loader and sync, at the flash rate when possible. The ESP8266 ROM
// measures the host's rate on the SYNC pattern (auto-baud), so syncing at the flash rate leaves no
// baud change to make: the stub upload (12 KiB) runs at the fast rate too, and esptool-js's baud
// change, with its fixed 50 ms sleep and 100-400 ms wait for the input to fall quiet, is not needed.
// Tools have relied on this auto-baud at 921600 for years: esptool 1.x synced at the -b rate, and
// esptool-ck (the Arduino ESP8266 core's uploader, ROM only) uploads at 921600. When the fast sync
// fails, the usual path follows: sync at 115200, run the stub, then change the rate. The fast rate
// gets a single reset and a single SYNC, so a board that cannot hear it (an adapter that does not
// carry the rate) costs one reset and one sync timeout more than syncing at 115200 at once.
import type { WebSerialAdapter } from '../serial/web-serial-adapter';
import { EspLoader, Logger, createLoader, limitSyncs } from './esptool-adapter';

/** The rate the ROM starts at, and esptool's safe rate for syncing. */
export const ROM_BAUD_RATE = 115200;
/** The fastest rate trusted to the ROM's auto-baud. */
export const MAX_AUTO_BAUD = 921600;
/**
 * SYNC packets sent at the fast rate before falling back. A ROM that hears the rate answers the first
 * well within esptool-js's 100 ms sync timeout; esptool-js itself sends five per reset, and resets
 * up to seven times.
 */
const FAST_SYNCS = 1;

export interface ConnectRequest {
  flashBaudRate: number;
  romBaudRate?: number;
  reset: 'auto' | 'none';
  connectAttempts?: number;
}

/** The rate to sync at: the caller's choice, else the flash rate when the ROM's auto-baud can take it. */
export function syncBaudRate(request: ConnectRequest): number {
  if (request.romBaudRate !== undefined) return request.romBaudRate;
  return request.flashBaudRate <= MAX_AUTO_BAUD ? request.flashBaudRate : ROM_BAUD_RATE;
}

function isSyncFailure(error: unknown): boolean {
  return error instanceof Error && /failed to connect/i.test(error.message);
}

async function connectAt(
  adapter: WebSerialAdapter,
  request: ConnectRequest,
  romBaudRate: number,
  attempts: number,
  log: Logger,
  syncs?: number,
): Promise<EspLoader> {
  const loader = await createLoader({ adapter, baudRate: request.flashBaudRate, romBaudRate, log });
  const restoreSync = syncs === undefined ? undefined : limitSyncs(loader, syncs);
  try {
    await loader.connect(request.reset === 'auto' ? 'default_reset' : 'no_reset', attempts, true);
  } finally {
    restoreSync?.();
  }
  return loader;
}

/** A loader synced with the ROM and the chip identified; `romBaudRate` is the rate the line runs at. */
export async function connectLoader(
  adapter: WebSerialAdapter,
  request: ConnectRequest,
  log: Logger,
): Promise<{ loader: EspLoader; romBaudRate: number }> {
  const attempts = request.connectAttempts ?? 7;
  const first = syncBaudRate(request);
  if (first === ROM_BAUD_RATE || request.romBaudRate !== undefined) {
    return { loader: await connectAt(adapter, request, first, attempts, log), romBaudRate: first };
  }
  try {
    return { loader: await connectAt(adapter, request, first, 1, log, FAST_SYNCS), romBaudRate: first };
  } catch (error) {
    if (!isSyncFailure(error) || adapter.lostError) throw error;
    log(`no answer at ${first} baud; syncing at ${ROM_BAUD_RATE} instead`);
    await adapter.close();
  }
  return { loader: await connectAt(adapter, request, ROM_BAUD_RATE, attempts, log), romBaudRate: ROM_BAUD_RATE };
}
