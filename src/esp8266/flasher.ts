// Writes ESP8266 firmware, in one part or several, over a serial port with esptool-js: reset into the
// ROM loader, check the chip, read MAC and flash id, run the flasher stub, compare the board's flash
// sector by sector, optionally back up what will be replaced, write what differs (deflated), MD5 verify
// each part, reset into the new firmware.
import { createHash } from 'node:crypto';
import { SECTOR_BYTES, SectorComparison, compareSectors, wholeImage } from './changed-sectors';
import type { Logger } from './esptool-adapter';
import { BackupRegion, BackupSaver } from './flash-backup';
import { FlashError, md5MismatchError } from './flash-errors';
import { FlashParamsChoice } from './flash-params';
import { FlashPart, PartKind, PreparedPart, fitPartsToFlash, prepareParts } from './flash-parts';
import { FlashProgress, ProgressReporter } from './flash-progress';
import { readRegion } from './flash-reader';
import { FlashStep } from './flash-steps';
import { formatBytes } from './image';
import { FlashRange, writeRanges } from './region-writer';
import { BoardOnPort, SessionRequest, StubSession, boardOnPort, restartIfAsked, withStubSession } from './stub-session';
import { MAX_IMAGE_BYTES } from './firmware-source';

export type { FlashPhase, FlashProgress } from './flash-progress';
export type { FlashStep } from './flash-steps';
export type { FlashPart } from './flash-parts';
export { MAX_IMAGE_BYTES } from './firmware-source';

/** One image for one address (`offset`, default 0), or parts each with its own address. */
export type FirmwareInput = Uint8Array | readonly FlashPart[];

export interface FlashRequest extends SessionRequest {
  image: FirmwareInput;
  /** 'auto' drives DTR/RTS; 'none' expects the board already in download mode. */
  reset: 'auto' | 'none';
  eraseAll?: boolean;
  verify?: boolean;
  /** Deflate the image on the wire (default); false sends it as it is, for comparison. */
  compress?: boolean;
  flashParams?: FlashParamsChoice;
  /**
   * Compare the board's flash with each part first (MD5 per region, then per sector) and write only the
   * sectors that differ (default). Ignored with `eraseAll`.
   */
  skipUnchanged?: boolean;
  /** Flash address of a single image; the boot image of an ESP8266 lives at 0. */
  offset?: number;
  /** Saves what the write is about to replace, before anything is erased. */
  backup?: BackupSaver;
  onProgress?: (progress: FlashProgress) => void;
  /** Called as each step of the flash begins, for timing it. */
  onStep?: (step: FlashStep) => void;
  log?: Logger;
}

export interface PartResult {
  address: number;
  kind: PartKind;
  /** Bytes of the part as written (padded to whole words). */
  size: number;
  md5: string;
  sectorsWritten: number;
  sectorsSkipped: number;
}

export interface FlashResult extends BoardOnPort {
  /** Image bytes written: the sectors that differed, or the whole image, over all parts. */
  bytesWritten: number;
  compressedBytes: number;
  /** 4 KiB sectors written, and those left alone because the board already held them, over all parts. */
  sectorsWritten: number;
  sectorsSkipped: number;
  /** MD5 of the first part (the only one, for a single image). */
  md5: string;
  parts: PartResult[];
  /** Files the backup was saved to, when one was asked for and something was replaced. */
  backupFiles: string[];
  verified: boolean;
  erased: boolean;
  restarted: boolean;
  flashBaudRate: number;
  durationMs: number;
}

function md5Hex(bytes: Uint8Array): string {
  return createHash('md5').update(bytes).digest('hex');
}

/**
 * Validates firmware without touching any port: size bound, alignment, overlaps, each part's format,
 * optional header patch. Returns the parts to write, sorted by address.
 */
export function prepareImage(image: FirmwareInput, flashParams?: FlashParamsChoice, offset = 0): PreparedPart[] {
  if (image instanceof Uint8Array) {
    if (image.length > MAX_IMAGE_BYTES) {
      throw new FlashError(
        'image-too-large',
        `the image has ${image.length} bytes; an ESP8266 flash holds at most ${formatBytes(MAX_IMAGE_BYTES)}`,
      );
    }
    return prepareParts([{ address: offset, data: image }], flashParams);
  }
  return prepareParts(image, flashParams);
}

interface PartPlan {
  part: PreparedPart;
  plan: SectorComparison;
}

/** Which sectors of each part to write: those that differ, or all of them when not comparing. */
async function planWrites(
  session: StubSession,
  parts: PreparedPart[],
  request: FlashRequest,
  progress: ProgressReporter,
): Promise<PartPlan[]> {
  const compares = request.skipUnchanged !== false && !request.eraseAll;
  if (compares) progress.report('comparing');
  const total = parts.reduce((sum, part) => sum + part.bytes.length, 0);
  let done = 0;
  const plans: PartPlan[] = [];
  for (const part of parts) {
    const plan = compares
      ? await compareSectors(
          part.bytes,
          part.address,
          (address, length) => session.loader.flashMd5sum(address, length),
          (compared) => progress.report('comparing', (done + compared) / total),
        )
      : wholeImage(part.bytes.length);
    done += part.bytes.length;
    plans.push({ part, plan });
  }
  return plans;
}

/** The whole sectors each changing part covers, or the whole flash before a chip erase. */
function regionsToBackUp(plans: PartPlan[], request: FlashRequest, flashSizeBytes: number): Array<{ address: number; length: number }> {
  if (request.eraseAll) return [{ address: 0, length: flashSizeBytes }];
  return plans
    .filter(({ plan }) => plan.changed.length > 0)
    .map(({ part }) => ({
      address: part.address,
      length: Math.min(flashSizeBytes - part.address, Math.ceil(part.bytes.length / SECTOR_BYTES) * SECTOR_BYTES),
    }));
}

async function backUp(session: StubSession, plans: PartPlan[], request: FlashRequest, progress: ProgressReporter): Promise<string[]> {
  const regions = request.backup ? regionsToBackUp(plans, request, session.flashSizeBytes) : [];
  if (!request.backup || regions.length === 0) return [];
  const total = regions.reduce((sum, region) => sum + region.length, 0);
  let done = 0;
  const read: BackupRegion[] = [];
  progress.report('backup', 0);
  for (const region of regions) {
    const { bytes } = await readRegion(session.loader, region.address, region.length, (received) =>
      progress.report('backup', (done + received) / total),
    );
    done += region.length;
    read.push({ address: region.address, bytes });
  }
  try {
    return await request.backup({ mac: session.mac, takenAt: new Date(), regions: read });
  } catch (error) {
    throw new FlashError('backup-failed', `the backup could not be saved, so nothing was written: ${(error as Error).message}`, error);
  }
}

export async function flashImage(request: FlashRequest): Promise<FlashResult> {
  const started = Date.now();
  const progress = new ProgressReporter(request.onProgress);
  const step = request.onStep ?? (() => undefined);
  const verify = request.verify ?? true;

  progress.report('validating');
  const prepared = prepareImage(request.image, request.flashParams, request.offset);

  return withStubSession(request, progress, step, async (session) => {
    const { loader } = session;
    const parts = fitPartsToFlash(prepared, request.flashParams, session.flashSizeBytes);

    step('compare');
    const plans = await planWrites(session, parts, request, progress);
    step('backup');
    const backupFiles = await backUp(session, plans, request, progress);

    step('write');
    if (request.eraseAll) {
      progress.report('erasing');
      await loader.eraseFlash();
    }
    progress.report('writing', 0);
    const ranges: FlashRange[] = plans.flatMap(({ part, plan }) =>
      plan.changed.map((range) => ({ address: part.address + range.start, bytes: part.bytes.subarray(range.start, range.end) })),
    );
    const compressedBytes = await writeRanges(loader, ranges, request.compress !== false, (sent, total) => {
      progress.report('writing', total > 0 ? sent / total : 1, { sentBytes: sent, totalBytes: total });
    });

    const results: PartResult[] = plans.map(({ part, plan }) => ({
      address: part.address,
      kind: part.kind,
      size: part.bytes.length,
      md5: md5Hex(part.bytes),
      sectorsWritten: plan.sectorsChanged,
      sectorsSkipped: plan.sectorsUnchanged,
    }));
    if (verify) {
      step('md5');
      progress.report('verifying');
      for (const result of results) {
        const flashMd5 = await loader.flashMd5sum(result.address, result.size);
        if (flashMd5 !== result.md5) throw md5MismatchError(result.md5, flashMd5);
      }
    }

    const restarted = await restartIfAsked(session, request.reset, step, progress);
    progress.report('done', 1);
    return {
      ...boardOnPort(request.path, session),
      bytesWritten: ranges.reduce((sum, range) => sum + range.bytes.length, 0),
      compressedBytes,
      sectorsWritten: results.reduce((sum, part) => sum + part.sectorsWritten, 0),
      sectorsSkipped: results.reduce((sum, part) => sum + part.sectorsSkipped, 0),
      md5: results[0].md5,
      parts: results,
      backupFiles,
      verified: verify,
      erased: request.eraseAll === true,
      // esptool-js falls back to the ROM rate when the board does not follow a baud change.
      restarted,
      flashBaudRate: session.baudRate,
      durationMs: Date.now() - started,
    };
  });
}
