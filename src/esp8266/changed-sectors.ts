// Which 4 KiB sectors of an image differ from what the board's flash already holds, found without the
// previous file: the stub's SPI_FLASH_MD5 of large regions first, then of the sectors of each region
// that differs. A region the board holds erased (all 0xFF, as on a new board) needs no narrowing:
// every sector of the image there differs unless it is erased too. Only the bytes the image covers are
// compared; flash past its end is never looked at.
import { hex } from '../hex';
import { createHash } from 'node:crypto';

/** The erase unit of the ESP8266's SPI flash. */
export const SECTOR_BYTES = 0x1000;
/** The first, coarse comparison: 16 sectors per question. */
export const REGION_BYTES = 0x10000;

/** MD5 (lowercase hex) of `length` bytes of the board's flash at `address`. */
export type FlashMd5 = (address: number, length: number) => Promise<string>;

/** Consecutive sectors to write, as a byte range of the image. */
export interface ImageRange {
  start: number;
  end: number;
}

export interface SectorComparison {
  /** Ranges of the image to write, in order, each a run of differing sectors. */
  changed: ImageRange[];
  sectorsChanged: number;
  sectorsUnchanged: number;
}

function md5Hex(bytes: Uint8Array): string {
  return createHash('md5').update(bytes).digest('hex');
}

/** The number of sectors an image of `length` bytes touches (the last one may be partial). */
export function sectorCount(length: number): number {
  return Math.ceil(length / SECTOR_BYTES);
}

const ERASED = 0xff;

function isErased(bytes: Uint8Array): boolean {
  return bytes.every((byte) => byte === ERASED);
}

function erasedMd5(length: number): string {
  return md5Hex(new Uint8Array(length).fill(ERASED));
}

/** The sectors of one region of the image that differ from the flash, as image ranges. */
async function changedSectorsIn(image: Uint8Array, offset: number, region: number, flashMd5: FlashMd5): Promise<ImageRange[]> {
  const regionEnd = Math.min(region + REGION_BYTES, image.length);
  const onBoard = await flashMd5(offset + region, regionEnd - region);
  if (onBoard === md5Hex(image.subarray(region, regionEnd))) return [];
  const blank = onBoard === erasedMd5(regionEnd - region);
  const changed: ImageRange[] = [];
  for (let sector = region; sector < regionEnd; sector += SECTOR_BYTES) {
    const sectorEnd = Math.min(sector + SECTOR_BYTES, image.length);
    const wanted = image.subarray(sector, sectorEnd);
    const same = blank ? isErased(wanted) : (await flashMd5(offset + sector, sectorEnd - sector)) === md5Hex(wanted);
    if (!same) changed.push({ start: sector, end: sectorEnd });
  }
  return changed;
}

/**
 * Compares `image`, meant for flash `offset` (sector-aligned), with the flash through `flashMd5`.
 * Questions asked: one per 64 KiB region, plus one per sector of each region that differs. `onRegion`
 * hears how many bytes of the image are compared after each region.
 */
export async function compareSectors(
  image: Uint8Array,
  offset: number,
  flashMd5: FlashMd5,
  onRegion?: (comparedBytes: number) => void,
): Promise<SectorComparison> {
  if (offset % SECTOR_BYTES !== 0) throw new RangeError(`flash offset ${hex(offset)} is not on a sector boundary`);
  const changed: ImageRange[] = [];
  let sectorsChanged = 0;
  for (let region = 0; region < image.length; region += REGION_BYTES) {
    for (const sector of await changedSectorsIn(image, offset, region, flashMd5)) {
      // Neighbouring sectors become one range: one write instead of several.
      const last = changed[changed.length - 1];
      if (last && last.end === sector.start) last.end = sector.end;
      else changed.push(sector);
      sectorsChanged++;
    }
    onRegion?.(Math.min(region + REGION_BYTES, image.length));
  }
  return { changed, sectorsChanged, sectorsUnchanged: sectorCount(image.length) - sectorsChanged };
}

/** The whole image as one range: what a write without comparison sends. */
export function wholeImage(length: number): SectorComparison {
  return { changed: length > 0 ? [{ start: 0, end: length }] : [], sectorsChanged: sectorCount(length), sectorsUnchanged: 0 };
}
