// Where the image to flash comes from: the firmware bundled with this package, a file, or a message.
import { promises as fs } from 'node:fs';
import path from 'node:path';
import { FlashError } from './flash-errors';
import { MAX_IMAGE_BYTES } from './flasher';
import { formatBytes } from './image';

export type FirmwareSource = 'bundled' | 'file' | 'msg';

/** firmware/bridge.bin at the package root (this file compiles to dist/src/esp8266/). */
export const BUNDLED_FIRMWARE_PATH = path.resolve(__dirname, '..', '..', '..', 'firmware', 'bridge.bin');

export function isFirmwareSource(value: unknown): value is FirmwareSource {
  return value === 'bundled' || value === 'file' || value === 'msg';
}

export async function readFirmwareFile(file: string, what = 'firmware file'): Promise<Uint8Array> {
  if (!file) throw new FlashError('invalid-image', `no ${what} is set: enter the path of an ESP8266 .bin image`);
  let size: number;
  try {
    const stat = await fs.stat(file);
    if (!stat.isFile()) throw new FlashError('invalid-image', `${what} ${file} is not a regular file`);
    size = stat.size;
  } catch (error) {
    if (error instanceof FlashError) throw error;
    const reason = (error as NodeJS.ErrnoException).code === 'ENOENT' ? 'does not exist' : `cannot be read (${(error as Error).message})`;
    throw new FlashError('invalid-image', `${what} ${file} ${reason}`, error);
  }
  if (size > MAX_IMAGE_BYTES) {
    throw new FlashError('image-too-large', `${what} ${file} has ${size} bytes; an ESP8266 flash holds at most ${formatBytes(MAX_IMAGE_BYTES)}`);
  }
  return new Uint8Array(await fs.readFile(file));
}

export function imageFromPayload(payload: unknown): Uint8Array {
  if (!(payload instanceof Uint8Array)) {
    throw new FlashError('invalid-image', `msg.payload must be a Buffer holding the image, not ${payload === null ? 'null' : typeof payload}`);
  }
  if (payload.length > MAX_IMAGE_BYTES) {
    throw new FlashError('image-too-large', `msg.payload has ${payload.length} bytes; an ESP8266 flash holds at most ${formatBytes(MAX_IMAGE_BYTES)}`);
  }
  return payload;
}

export interface FirmwareChoice {
  source: FirmwareSource;
  file?: string;
  payload?: unknown;
  bundledPath?: string;
}

export async function loadFirmware(choice: FirmwareChoice): Promise<Uint8Array> {
  switch (choice.source) {
    case 'bundled':
      return readFirmwareFile(choice.bundledPath ?? BUNDLED_FIRMWARE_PATH, 'bundled firmware');
    case 'file':
      return readFirmwareFile(choice.file ?? '');
    case 'msg':
      return imageFromPayload(choice.payload);
  }
}
