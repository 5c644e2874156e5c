// The part every flash and every read share: take the port, reset into the ROM loader and sync, check
// the chip, read its MAC, run the flasher stub at the flash rate and find the flash chip's size. Then
// the caller's work runs; whatever happens, the port is closed, and errors are explained.
import { hex } from '../hex';
import { SerialLinkCreator } from '../serial/shared-port';
import { UsbIds, WebSerialAdapter } from '../serial/web-serial-adapter';
import { ConnectRequest, connectLoader } from './connect';
import { EspLoader, Logger } from './esptool-adapter';
import { FlashError, describeOpenError, noAnswerError, noControlLinesError, portLostError, wrongChipError } from './flash-errors';
import { flashBytesFromJedecId } from './flash-params';
import { FlashPhase, ProgressReporter } from './flash-progress';
import { FlashStep } from './flash-steps';
import { formatBytes } from './image';
import { hardReset } from './reset';

export interface SessionRequest extends ConnectRequest {
  path: string;
  createLink: SerialLinkCreator;
  usbIds?: UsbIds;
  log?: Logger;
}

/** The board a session found, as its results report it. */
export interface BoardIdentity {
  chip: string;
  mac: string;
  /** The JEDEC id as six hex digits after 0x. */
  flashId: string;
  flashSize: string;
  flashSizeBytes: number;
}

/** A result's board and the port it was reached on. */
export interface BoardOnPort extends BoardIdentity {
  port: string;
}

export interface StubSession extends BoardIdentity {
  loader: EspLoader;
  adapter: WebSerialAdapter;
  /** The rate the line runs at after any baud change (esptool-js falls back to the ROM rate when the board does not follow). */
  baudRate: number;
}

/** The board a session found and the port it was reached on, as every result reports them. */
export function boardOnPort(path: string, session: StubSession): BoardOnPort {
  const { chip, mac, flashId, flashSize, flashSizeBytes } = session;
  return { port: path, chip, mac, flashId, flashSize, flashSizeBytes };
}

/**
 * The last step of a write and of a read: with reset `auto`, restart the board into what its flash holds.
 * Answers whether it was restarted.
 */
export async function restartIfAsked(
  session: StubSession,
  reset: SessionRequest['reset'],
  step: (step: FlashStep) => void,
  progress: ProgressReporter,
): Promise<boolean> {
  if (reset !== 'auto') return false;
  step('restart');
  progress.report('restarting');
  await hardReset(session.adapter);
  return true;
}

function errorMessage(error: unknown): string {
  return error instanceof Error ? error.message : String(error);
}

/** Turns whatever esptool-js or the port threw into an error that says what to do. */
function explain(error: unknown, path: string, adapter: WebSerialAdapter, phase: FlashPhase | undefined): FlashError {
  if (error instanceof FlashError) return error;
  if (adapter.lostError) return portLostError(path, error);
  const message = errorMessage(error);
  if (!adapter.hasOpened) return describeOpenError(path, error);
  if (/inappropriate ioctl|ENOTTY|cannot set/i.test(message)) return noControlLinesError(path, error);
  if (/failed to connect|no serial data|timeout|timed out/i.test(message) && phase === 'connecting') return noAnswerError(path, error);
  if (error instanceof Error && error.name === 'UnexpectedChipMagicError') return wrongChipError(`unknown chip (${message})`);
  const doing = phase === 'reading' || phase === 'backup' ? 'read' : 'flash';
  return new FlashError('flash-failed', `${doing} failed while ${phase ?? 'starting'}: ${message}`, error);
}

async function detectFlash(loader: EspLoader): Promise<{ flashId: number; flashSizeBytes: number }> {
  const flashId: number = await loader.readFlashId();
  const flashSizeBytes = flashBytesFromJedecId(flashId);
  if (flashSizeBytes === undefined) {
    throw new FlashError(
      'flash-failed',
      `the board's flash chip does not answer (id ${hex(flashId)}): check the board, or disconnect what is wired to GPIO6-11`,
    );
  }
  return { flashId, flashSizeBytes };
}

async function openSession(
  adapter: WebSerialAdapter,
  request: SessionRequest,
  progress: ProgressReporter,
  step: (step: FlashStep) => void,
): Promise<StubSession> {
  const log = request.log ?? (() => undefined);
  progress.report('connecting');
  step('reset-sync');
  const { loader, romBaudRate } = await connectLoader(adapter, request, log);
  const chipName: string = loader.chip.CHIP_NAME;
  if (chipName !== 'ESP8266') throw wrongChipError(chipName);

  progress.report('preparing', 0);
  const chip = await loader.chip.getChipDescription(loader);
  const mac = await loader.chip.readMac(loader);
  step('stub-upload');
  await loader.runStub();
  progress.report('preparing', 0.4);
  step('baud-change');
  if (request.flashBaudRate !== romBaudRate) await loader.changeBaud();
  progress.report('preparing', 0.7);
  step('flash-detection');
  const { flashId, flashSizeBytes } = await detectFlash(loader);
  return {
    loader,
    adapter,
    chip,
    mac,
    flashId: hex(flashId, 6),
    flashSize: formatBytes(flashSizeBytes),
    flashSizeBytes,
    baudRate: loader.transport.baudrate,
  };
}

/** Runs `work` on a board whose stub runs and whose flash size is known; the port is closed afterwards. */
export async function withStubSession<T>(
  request: SessionRequest,
  progress: ProgressReporter,
  step: (step: FlashStep) => void,
  work: (session: StubSession) => Promise<T>,
): Promise<T> {
  const adapter = new WebSerialAdapter((baudRate) => request.createLink(request.path, baudRate), request.usbIds);
  try {
    return await work(await openSession(adapter, request, progress, step));
  } catch (error) {
    throw explain(error, request.path, adapter, progress.phase);
  } finally {
    // A failed flash must never leave the port open.
    await adapter.close().catch(() => undefined);
  }
}
