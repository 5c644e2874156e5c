// Writes an ESP8266 image over a serial port with esptool-js: reset into the ROM loader, check the
// chip, read MAC and flash id, run the flasher stub, compare the board's flash sector by sector,
// write what differs (deflated), MD5 verify, reset into the new firmware.
import { createHash } from 'node:crypto';
import { SerialLinkCreator } from '../serial/shared-port';
import { UsbIds, WebSerialAdapter } from '../serial/web-serial-adapter';
import { SECTOR_BYTES, SectorComparison, compareSectors, wholeImage } from './changed-sectors';
import { EspLoader, Logger } from './esptool';
import { connectLoader } from './connect';
import {
  FlashError, describeOpenError, md5MismatchError, noAnswerError, noControlLinesError, portLostError, wrongChipError,
} from './flash-errors';
import { FlashParamsChoice, flashBytesFromJedecId, flashSizeNameForBytes } from './flash-params';
import { InvalidImageError, ParsedImage, checkImageFitsFlash, formatBytes, parseImage, patchFlashParams } from './image';
import { FlashPhase, FlashProgress, ProgressReporter } from './flash-progress';
import { FlashStep } from './flash-steps';
import { writeRanges } from './region-writer';
import { hardReset } from './reset';

export type { FlashPhase, FlashProgress } from './flash-progress';
export type { FlashStep } from './flash-steps';

export interface FlashRequest {
  path: string;
  image: Uint8Array;
  createLink: SerialLinkCreator;
  /** Baud rate for the data transfer, after the stub runs. */
  flashBaudRate: number;
  /** 'auto' drives DTR/RTS; 'none' expects the board already in download mode. */
  reset: 'auto' | 'none';
  eraseAll?: boolean;
  verify?: boolean;
  /** Deflate the image on the wire (default); false sends it as it is, for comparison. */
  compress?: boolean;
  flashParams?: FlashParamsChoice;
  /**
   * Compare the board's flash with the image first (MD5 per region, then per sector) and write only the
   * sectors that differ (default). Ignored with `eraseAll`.
   */
  skipUnchanged?: boolean;
  /** Flash offset; the boot image of an ESP8266 lives at 0. */
  offset?: number;
  /** Rate for syncing with the ROM; by default the flash rate itself, falling back to 115200. */
  romBaudRate?: number;
  connectAttempts?: number;
  usbIds?: UsbIds;
  onProgress?: (progress: FlashProgress) => void;
  /** Called as each step of the flash begins, for timing it. */
  onStep?: (step: FlashStep) => void;
  log?: Logger;
}

export interface FlashResult {
  port: string;
  chip: string;
  mac: string;
  flashId: string;
  flashSize: string;
  flashSizeBytes: number;
  /** Image bytes written: the sectors that differed, or the whole image. */
  bytesWritten: number;
  compressedBytes: number;
  /** 4 KiB sectors of the image written, and those left alone because the board already held them. */
  sectorsWritten: number;
  sectorsSkipped: number;
  md5: string;
  verified: boolean;
  erased: boolean;
  restarted: boolean;
  flashBaudRate: number;
  durationMs: number;
}

export const MAX_IMAGE_BYTES = 16 * 1024 * 1024;

function md5Hex(bytes: Uint8Array): string {
  return createHash('md5').update(bytes).digest('hex');
}

/** Pads to a multiple of 4 with 0xFF (erased flash), as the loader writes whole words. */
function padToWords(bytes: Uint8Array): Uint8Array {
  if (bytes.length % 4 === 0) return bytes;
  const padded = new Uint8Array(bytes.length + (4 - (bytes.length % 4))).fill(0xff);
  padded.set(bytes);
  return padded;
}

/**
 * Validates an image without touching any port: size bound, v1 format, optional header patch.
 * Returns the bytes to write (patched and padded) and their parse.
 */
export function prepareImage(image: Uint8Array, flashParams?: FlashParamsChoice): { bytes: Uint8Array; parsed: ParsedImage } {
  if (image.length > MAX_IMAGE_BYTES) {
    throw new FlashError('image-too-large', `the image has ${image.length} bytes; an ESP8266 flash holds at most ${formatBytes(MAX_IMAGE_BYTES)}`);
  }
  try {
    parseImage(image);
    const patched = flashParams ? patchFlashParams(image, flashParams) : image;
    const bytes = padToWords(patched);
    return { bytes, parsed: parseImage(bytes) };
  } catch (error) {
    if (error instanceof InvalidImageError) throw new FlashError('invalid-image', `invalid firmware image: ${error.message}`, error);
    throw error;
  }
}

function errorMessage(error: unknown): string {
  return error instanceof Error ? error.message : String(error);
}

/** Turns whatever esptool-js or the port threw into an error that says what to do. */
function explain(error: unknown, request: FlashRequest, adapter: WebSerialAdapter, phase: FlashPhase | undefined): FlashError {
  if (error instanceof FlashError) return error;
  if (adapter.lostError) return portLostError(request.path, error);
  const message = errorMessage(error);
  if (!adapter.hasOpened) return describeOpenError(request.path, error);
  if (/inappropriate ioctl|ENOTTY|cannot set/i.test(message)) return noControlLinesError(request.path, error);
  if (/failed to connect|no serial data|timeout|timed out/i.test(message) && phase === 'connecting') return noAnswerError(request.path, error);
  if (error instanceof Error && error.name === 'UnexpectedChipMagicError') return wrongChipError(`unknown chip (${message})`);
  return new FlashError('flash-failed', `flash failed while ${phase ?? 'starting'}: ${message}`, error);
}

async function detectFlash(loader: EspLoader): Promise<{ flashId: number; flashSizeBytes: number }> {
  const flashId: number = await loader.readFlashId();
  const flashSizeBytes = flashBytesFromJedecId(flashId);
  if (flashSizeBytes === undefined) {
    throw new FlashError('flash-failed', `the board's flash chip does not answer (id 0x${flashId.toString(16)}): check the board, or disconnect what is wired to GPIO6-11`);
  }
  return { flashId, flashSizeBytes };
}

/** The bytes to write once the board's flash size is known: header size filled in for "detect", fit checked. */
function fitImageToFlash(prepared: { bytes: Uint8Array; parsed: ParsedImage }, request: FlashRequest, flashSizeBytes: number): Uint8Array {
  let { bytes, parsed } = prepared;
  const offset = request.offset ?? 0;
  try {
    const detected = flashSizeNameForBytes(flashSizeBytes);
    if (request.flashParams?.size === 'detect' && offset === 0 && detected) {
      bytes = patchFlashParams(bytes, { mode: 'keep', frequency: 'keep', size: detected });
      parsed = parseImage(bytes);
    }
    checkImageFitsFlash(parsed, bytes.length, offset, flashSizeBytes);
  } catch (error) {
    throw new FlashError('invalid-image', `invalid firmware image: ${errorMessage(error)}`, error);
  }
  return bytes;
}

/** Comparing is pointless after erasing everything, and impossible for an image that starts mid-sector. */
function comparesSectors(request: FlashRequest): boolean {
  return request.skipUnchanged !== false && !request.eraseAll && (request.offset ?? 0) % SECTOR_BYTES === 0;
}

/** Which sectors to write: those that differ, or all of them when not comparing. */
async function sectorsToWrite(loader: EspLoader, bytes: Uint8Array, request: FlashRequest, progress: ProgressReporter): Promise<SectorComparison> {
  if (!comparesSectors(request)) return wholeImage(bytes.length);
  return compareSectors(bytes, request.offset ?? 0, (address, length) => loader.flashMd5sum(address, length),
    (compared) => progress.report('comparing', compared / bytes.length));
}

export async function flashImage(request: FlashRequest): Promise<FlashResult> {
  const started = Date.now();
  const log = request.log ?? (() => undefined);
  const progress = new ProgressReporter(request.onProgress);
  const step = request.onStep ?? (() => undefined);
  const verify = request.verify ?? true;
  const offset = request.offset ?? 0;

  progress.report('validating');
  const prepared = prepareImage(request.image, request.flashParams);

  const adapter = new WebSerialAdapter((baudRate) => request.createLink(request.path, baudRate), request.usbIds);
  try {
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
    const bytes = fitImageToFlash(prepared, request, flashSizeBytes);

    step('compare');
    if (comparesSectors(request)) progress.report('comparing');
    const plan = await sectorsToWrite(loader, bytes, request, progress);

    step('write');
    if (request.eraseAll) {
      progress.report('erasing');
      await loader.eraseFlash();
    }
    progress.report('writing', 0);
    const ranges = plan.changed.map((range) => ({ address: offset + range.start, bytes: bytes.subarray(range.start, range.end) }));
    const compressedBytes = await writeRanges(loader, ranges, request.compress !== false, (sent, total) => {
      progress.report('writing', total > 0 ? sent / total : 1, { sentBytes: sent, totalBytes: total });
    });

    const md5 = md5Hex(bytes);
    if (verify) {
      step('md5');
      progress.report('verifying');
      const flashMd5 = await loader.flashMd5sum(offset, bytes.length);
      if (flashMd5 !== md5) throw md5MismatchError(md5, flashMd5);
    }

    let restarted = false;
    if (request.reset === 'auto') {
      step('restart');
      progress.report('restarting');
      await hardReset(adapter);
      restarted = true;
    }
    progress.report('done', 1);
    return {
      port: request.path, chip, mac, flashId: `0x${flashId.toString(16).padStart(6, '0')}`,
      flashSize: formatBytes(flashSizeBytes), flashSizeBytes,
      bytesWritten: ranges.reduce((sum, range) => sum + range.bytes.length, 0), compressedBytes,
      sectorsWritten: plan.sectorsChanged, sectorsSkipped: plan.sectorsUnchanged,
      md5, verified: verify, erased: request.eraseAll === true,
      // esptool-js falls back to the ROM rate when the board does not follow a baud change.
      restarted, flashBaudRate: (loader as unknown as { baudrate: number }).baudrate, durationMs: Date.now() - started,
    };
  } catch (error) {
    throw explain(error, request, adapter, progress.phase);
  } finally {
    // A failed flash must never leave the port open.
    await adapter.close().catch(() => undefined);
  }
}
