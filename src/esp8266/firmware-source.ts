// Where the firmware to flash comes from: the firmware bundled with this package, files, or a message.
// Each source gives the parts to write, each at its flash address; gzip data is unpacked.
import { constants, promises as fs } from 'node:fs';
import path from 'node:path';
import { FirmwareFileEntry, LIMITS, RuleError, firmwareFileList } from '../field-rules';
import { FlashError } from './flash-errors';
import type { FlashPart } from './flash-parts';
import { formatBytes } from './image';
import { unpackIfGzip } from './gzip-input';

export type FirmwareSource = 'bundled' | 'file' | 'msg';

/** The most bytes an image may hold: the largest flash an ESP8266 addresses. */
export const MAX_IMAGE_BYTES = LIMITS.flashBytes;
const READ_CHUNK = 64 * 1024;

/** firmware/bridge.bin at the package root (this file compiles to dist/src/esp8266/). */
export const BUNDLED_FIRMWARE_PATH = path.resolve(__dirname, '..', '..', '..', 'firmware', 'bridge.bin');

export function isFirmwareSource(value: unknown): value is FirmwareSource {
  return value === 'bundled' || value === 'file' || value === 'msg';
}

function tooLarge(what: string): FlashError {
  return new FlashError('image-too-large', `${what} is larger than ${formatBytes(MAX_IMAGE_BYTES)}, more than an ESP8266 flash holds`);
}

/**
 * Reads a file through one handle in whole chunks, and stops as soon as it holds more than the image
 * limit (so at most one chunk past it): a file that grows while it is read, or a /proc file that
 * reports size 0, is still bounded. (Whole chunks, because some kernel files refuse odd-sized reads.) It opens without blocking (a FIFO
 * would otherwise hold a thread of the pool until a writer comes). The errors name the path the user
 * gave, never the file's size or contents, and say the same for a missing, unreadable or special file.
 */
export async function readFirmwareFile(file: string, what = 'firmware file'): Promise<Uint8Array> {
  if (!file) throw new FlashError('invalid-image', `no ${what} is set: enter the path of an ESP8266 .bin image`);
  const unreadable = (cause?: unknown) =>
    new FlashError('invalid-image', `${what} ${file} cannot be read: it must be a regular file that Node-RED may read`, cause);
  let handle: fs.FileHandle;
  try {
    handle = await fs.open(file, constants.O_RDONLY | (constants.O_NONBLOCK ?? 0));
  } catch (error) {
    throw unreadable(error);
  }
  try {
    if (!(await handle.stat()).isFile()) throw unreadable();
    const chunks: Buffer[] = [];
    let total = 0;
    for (;;) {
      const chunk = Buffer.allocUnsafe(READ_CHUNK);
      const { bytesRead } = await handle.read(chunk, 0, chunk.length, null);
      if (bytesRead === 0) break;
      chunks.push(chunk.subarray(0, bytesRead));
      total += bytesRead;
      if (total > MAX_IMAGE_BYTES) throw tooLarge(`${what} ${file}`);
    }
    return new Uint8Array(Buffer.concat(chunks, total));
  } catch (error) {
    if (error instanceof FlashError) throw error;
    throw unreadable(error);
  } finally {
    await handle.close().catch(() => undefined);
  }
}

export function imageFromPayload(payload: unknown): Uint8Array {
  if (!(payload instanceof Uint8Array)) {
    throw new FlashError(
      'invalid-image',
      `msg.payload must be a Buffer holding the image, or an array of { address, data } parts, not ${payload === null ? 'null' : typeof payload}`,
    );
  }
  if (payload.length > MAX_IMAGE_BYTES) throw tooLarge('msg.payload');
  return payload;
}

/** The parts of an array payload, each unpacked within what is left of the one-flash bound. */
async function partsFromPayload(payload: readonly unknown[]): Promise<FlashPart[]> {
  if (payload.length > LIMITS.flashParts) {
    throw new FlashError('invalid-image', `msg.payload has ${payload.length} parts: at most ${LIMITS.flashParts} are written at once`);
  }
  const parts: FlashPart[] = [];
  let total = 0;
  for (const [index, entry] of payload.entries()) {
    const { address, data } = (entry ?? {}) as { address?: unknown; data?: unknown };
    if (!(data instanceof Uint8Array)) {
      throw new FlashError(
        'invalid-image',
        `msg.payload[${index}] needs { address, data } with data a Buffer, not ${data === null ? 'null' : typeof data}`,
      );
    }
    const unpacked = await unpackIfGzip(data, MAX_IMAGE_BYTES - total, `msg.payload[${index}]`);
    total += unpacked.length;
    if (total > MAX_IMAGE_BYTES) throw tooLarge('msg.payload');
    parts.push({ address: address as number, data: unpacked });
  }
  return parts;
}

async function partsFromFiles(setting: string): Promise<FlashPart[]> {
  let list: FirmwareFileEntry[];
  try {
    list = firmwareFileList(setting);
  } catch (error) {
    // The node refuses a bad setting in its catalog's words before any message; this is for direct callers.
    const rule = error instanceof RuleError ? error.problem.rule : String(error);
    throw new FlashError(
      'invalid-image',
      rule === 'file'
        ? 'no firmware file is set: enter the path of an ESP8266 .bin image'
        : `the firmware file setting is not valid (${rule})`,
      error,
    );
  }
  const parts: FlashPart[] = [];
  for (const entry of list) {
    const data = await unpackIfGzip(await readFirmwareFile(entry.path), MAX_IMAGE_BYTES, `firmware file ${entry.path}`);
    parts.push({ address: entry.address, data });
  }
  return parts;
}

export interface FirmwareChoice {
  source: FirmwareSource;
  /** One path, or `address=path` pairs (see field-rules.ts). */
  file?: string;
  payload?: unknown;
  bundledPath?: string;
}

/** The parts to write, in the order given; prepareParts checks them. */
export async function loadFirmware(choice: FirmwareChoice): Promise<FlashPart[]> {
  switch (choice.source) {
    case 'bundled':
      return [{ address: 0, data: await readFirmwareFile(choice.bundledPath ?? BUNDLED_FIRMWARE_PATH, 'bundled firmware') }];
    case 'file':
      return partsFromFiles(choice.file ?? '');
    case 'msg':
      if (Array.isArray(choice.payload)) return partsFromPayload(choice.payload);
      return [{ address: 0, data: await unpackIfGzip(imageFromPayload(choice.payload), MAX_IMAGE_BYTES, 'msg.payload') }];
  }
}
