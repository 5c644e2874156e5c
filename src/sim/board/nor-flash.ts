// A NOR flash chip as the ESP8266's SPI flash behaves: erased bytes read 0xFF, erase works on whole
// 4 KiB sectors, and programming can only clear bits (the new value is ANDed into the cell).
import { hex } from '../../hex';

export const SECTOR_SIZE = 0x1000;
export const DEFAULT_FLASH_SIZE = 4 * 1024 * 1024;
const MIN_FLASH_SIZE = 64 * 1024;
const MAX_FLASH_SIZE = 16 * 1024 * 1024;

export interface FlashReader {
  readonly size: number;
  read(address: number, length: number): Uint8Array;
}

export class NorFlash implements FlashReader {
  private readonly cells: Uint8Array;

  constructor(readonly size: number = DEFAULT_FLASH_SIZE) {
    // Flash chips come in powers of two; the JEDEC id encodes log2 of the size.
    if (!Number.isInteger(size) || size < MIN_FLASH_SIZE || size > MAX_FLASH_SIZE || (size & (size - 1)) !== 0) {
      throw new RangeError(`flash size must be a power of two from ${MIN_FLASH_SIZE} to ${MAX_FLASH_SIZE} bytes, got ${size}`);
    }
    this.cells = new Uint8Array(size).fill(0xff);
  }

  read(address: number, length: number): Uint8Array {
    this.checkRange(address, length);
    return this.cells.slice(address, address + length);
  }

  program(address: number, data: Uint8Array): void {
    this.checkRange(address, data.length);
    for (let i = 0; i < data.length; i++) this.cells[address + i] &= data[i];
  }

  eraseSector(sectorIndex: number): void {
    const start = sectorIndex * SECTOR_SIZE;
    this.checkRange(start, SECTOR_SIZE);
    this.cells.fill(0xff, start, start + SECTOR_SIZE);
  }

  /** Erases every sector touched by [address, address + length). */
  eraseRange(address: number, length: number): void {
    if (length === 0) return;
    this.checkRange(address, length);
    const first = Math.floor(address / SECTOR_SIZE);
    const last = Math.floor((address + length - 1) / SECTOR_SIZE);
    for (let sector = first; sector <= last; sector++) this.eraseSector(sector);
  }

  eraseAll(): void {
    this.cells.fill(0xff);
  }

  isSectorBlank(sectorIndex: number): boolean {
    const start = sectorIndex * SECTOR_SIZE;
    for (let i = start; i < start + SECTOR_SIZE; i++) if (this.cells[i] !== 0xff) return false;
    return true;
  }

  /** JEDEC id as the RDID (0x9F) command returns it: manufacturer, memory type, log2(capacity). */
  get jedecId(): number {
    const winbond = 0xef;
    const serialNorType = 0x40;
    return winbond | (serialNorType << 8) | (Math.log2(this.size) << 16);
  }

  private checkRange(address: number, length: number): void {
    if (!Number.isInteger(address) || !Number.isInteger(length) || address < 0 || length < 0 || address + length > this.size) {
      throw new RangeError(`flash access ${hex(address)}+${length} is outside the ${this.size}-byte chip`);
    }
  }
}
