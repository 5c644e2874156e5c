// What the ESP8266 mask ROM does after EN rises: print its banner at 74880 baud (26 MHz crystal) and
// either wait in the UART loader or load the v1 image at flash offset 0. The text follows real boot
// logs (esp8266/Arduino#435, bbs.espressif.com t=2826): one "load" block per segment with the running
// checksum, then "csum <stored>", and "csum err" / "ets_main.c" when the image is unusable.
import { hex } from '../../hex';
import type { FlashReader } from '../board/nor-flash';

export const BOOT_ROM_BAUD = 74880;
export const IMAGE_MAGIC = 0xe9;

/** Reset causes as the ROM prints them (rst cause:4 is the hardware watchdog). */
export const ResetCause = { POWER_ON: 1, EXTERNAL: 2, WATCHDOG: 4 } as const;
export type ResetCause = (typeof ResetCause)[keyof typeof ResetCause];

export const BootMode = { UART_DOWNLOAD: 1, FLASH: 3 } as const;

/** The second boot-mode number reflects GPIO2/GPIO15 straps; these boards pull GPIO2 high: 6. */
const STRAP_BITS = 6;
/** The ROM copies segments to RAM; nothing larger than the on-chip RAM can be a real segment. */
const MAX_SEGMENT_LENGTH = 0x18000;

export function bootBanner(cause: ResetCause, mode: number): string {
  return `\r\n ets Jan  8 2013,rst cause:${cause}, boot mode:(${mode},${STRAP_BITS})\r\n\r\n`;
}

export interface FlashBootResult {
  /** Text the ROM prints after the banner. */
  log: string;
  /** The whole image (header to checksum byte) when it loaded; undefined when the ROM gave up. */
  image?: Uint8Array;
}

export function loadImageFromFlash(flash: FlashReader): FlashBootResult {
  const header = flash.read(0, 8);
  if (header[0] !== IMAGE_MAGIC) return { log: 'ets_main.c \r\n' };
  const segmentCount = header[1];
  let offset = 8;
  let checksum = 0xef;
  let log = '';
  for (let segment = 0; segment < segmentCount; segment++) {
    if (offset + 8 > flash.size) return { log: log + 'flash read err, 0\r\nets_main.c \r\n' };
    const view = new DataView(flash.read(offset, 8).buffer);
    const address = view.getUint32(0, true);
    const length = view.getUint32(4, true);
    const dataStart = offset + 8;
    if (length > MAX_SEGMENT_LENGTH || dataStart + length > flash.size) {
      return { log: log + `load ${hex(address, 8)}, len ${length | 0}, room 16 \r\nets_main.c \r\n` };
    }
    const room = segment === 0 ? 16 : (16 - (dataStart % 16)) % 16;
    for (const byte of flash.read(dataStart, length)) checksum ^= byte;
    log += `load ${hex(address, 8)}, len ${length}, room ${room} \r\ntail ${(dataStart + length) % 16}\r\nchksum ${hex(checksum, 2)}\r\n`;
    offset = dataStart + length;
  }
  // The image is padded with zeros up to one byte before a 16-byte boundary; that byte is the checksum.
  const checksumOffset = (Math.floor(offset / 16) + 1) * 16 - 1;
  if (checksumOffset >= flash.size) return { log: log + 'flash read err, 0\r\nets_main.c \r\n' };
  const stored = flash.read(checksumOffset, 1)[0];
  log += `csum ${hex(stored, 2)}\r\n`;
  if (stored !== checksum) return { log: log + 'csum err\r\nets_main.c \r\n' };
  return { log, image: flash.read(0, checksumOffset + 1) };
}
