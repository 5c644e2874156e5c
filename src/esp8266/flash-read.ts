// Reads a span of an ESP8266's flash into memory (the flash node's read mode): the same connection,
// stub and errors as a write, then READ_FLASH checked against the stub's MD5, then a restart.
import { hex } from '../hex';
import { LIMITS } from '../field-rules';
import { FlashError } from './flash-errors';
import { FlashProgress, ProgressReporter } from './flash-progress';
import { readRegion } from './flash-reader';
import { FlashStep } from './flash-steps';
import { formatBytes } from './image';
import { BoardOnPort, SessionRequest, boardOnPort, restartIfAsked, withStubSession } from './stub-session';

export interface ReadRequest extends SessionRequest {
  /** First flash address to read (default 0). */
  address?: number;
  /** Bytes to read; by default the rest of the flash from `address`. */
  size?: number;
  onProgress?: (progress: FlashProgress) => void;
  onStep?: (step: FlashStep) => void;
}

export interface ReadResult extends BoardOnPort {
  address: number;
  size: number;
  md5: string;
  bytes: Uint8Array;
  restarted: boolean;
  flashBaudRate: number;
  durationMs: number;
}

/** Refuses, before any port is taken, what no ESP8266 flash could answer. */
export function checkReadSpan(address: number, size: number | undefined, flashSizeBytes: number = LIMITS.flashBytes): void {
  if (!Number.isInteger(address) || address < 0 || address >= flashSizeBytes) {
    throw new FlashError('invalid-read', `the read address ${hex(address)} is not within the board's ${formatBytes(flashSizeBytes)} flash`);
  }
  if (size !== undefined && (!Number.isInteger(size) || size < 1 || address + size > flashSizeBytes)) {
    throw new FlashError(
      'invalid-read',
      `a read of ${size} bytes from ${hex(address)} does not fit the board's ${formatBytes(flashSizeBytes)} flash`,
    );
  }
}

export async function readFlash(request: ReadRequest): Promise<ReadResult> {
  const started = Date.now();
  const progress = new ProgressReporter(request.onProgress);
  const step = request.onStep ?? (() => undefined);
  const address = request.address ?? 0;
  progress.report('validating');
  checkReadSpan(address, request.size);

  return withStubSession(request, progress, step, async (session) => {
    checkReadSpan(address, request.size, session.flashSizeBytes);
    const size = request.size ?? session.flashSizeBytes - address;
    step('read');
    progress.report('reading', 0, { sentBytes: 0, totalBytes: size });
    const { bytes, md5 } = await readRegion(session.loader, address, size, (received) =>
      progress.report('reading', received / size, { sentBytes: received, totalBytes: size }),
    );
    const restarted = await restartIfAsked(session, request.reset, step, progress);
    progress.report('done', 1);
    return {
      ...boardOnPort(request.path, session),
      address,
      size,
      md5,
      bytes,
      restarted,
      flashBaudRate: session.baudRate,
      durationMs: Date.now() - started,
    };
  });
}
