// Firmware shipped gzipped (Tasmota's .bin.gz): unpacked before anything is checked, never past the
// size one flash can hold, so a small "zip bomb" cannot fill the memory.
import { promisify } from 'node:util';
import { gunzip } from 'node:zlib';
import { FlashError } from './flash-errors';
import { formatBytes } from './image';

const gunzipAsync = promisify(gunzip);

/** RFC 1952: every gzip member starts with these two bytes. */
export function isGzip(bytes: Uint8Array): boolean {
  return bytes.length >= 2 && bytes[0] === 0x1f && bytes[1] === 0x8b;
}

/** The bytes themselves, or unpacked when they are gzip data; `what` names them in errors. */
export async function unpackIfGzip(bytes: Uint8Array, limit: number, what: string): Promise<Uint8Array> {
  if (!isGzip(bytes)) return bytes;
  try {
    return new Uint8Array(await gunzipAsync(bytes, { maxOutputLength: limit }));
  } catch (error) {
    if ((error as NodeJS.ErrnoException).code === 'ERR_BUFFER_TOO_LARGE') {
      throw new FlashError(
        'image-too-large',
        `${what} unpacks to more than ${formatBytes(limit)}, more than an ESP8266 flash holds`,
        error,
      );
    }
    throw new FlashError('invalid-image', `${what} starts as gzip data but does not unpack (${(error as Error).message})`, error);
  }
}
