/**
 * The CPU's view of memory: DRAM, IRAM, the flash window, the mask ROM (no content) and the
 * memory-mapped devices. Access rules as on the ESP8266: IRAM and the flash window only take
 * aligned 32-bit accesses (anything narrower is a LoadStoreError), devices only take aligned
 * 32-bit accesses, and an address nothing answers is a Load/StoreProhibited fault.
 * Alignment itself is checked by the CPU before the bus sees an access.
 * Typed-array views assume a little-endian host, as the ESP8266 is.
 */
import { hex32 } from '../../hex';
import { Cause } from './exceptions';
import { DPORT, DRAM, FLASH_WINDOW, IRAM, PERIPHERALS, ROM, contains } from './memory-map';
import type { PeripheralMapping } from './peripheral';

/** What the bus calls when an access cannot complete; both never return (they throw). */
export interface BusFaults {
  /** Raises the exception `cause` with EXCVADDR = `address`. */
  fault(cause: number, address: number): never;
  /** Stops the CPU with a report: the program did something the virtual board does not model. */
  halt(message: string): never;
  /** The cycle count since power-on, for devices. */
  readonly cycles: number;
}

export class Bus {
  readonly dram = new Uint8Array(DRAM.end - DRAM.start);
  readonly iram = new Uint8Array(IRAM.end - IRAM.start);
  private readonly dram16 = new Uint16Array(this.dram.buffer);
  private readonly dram32 = new Int32Array(this.dram.buffer);
  private readonly iram32 = new Int32Array(this.iram.buffer);
  /** The flash window's contents once a program enabled the cache, else undefined. */
  private flash: Uint8Array | undefined;
  private flash32: Int32Array | undefined;
  private readonly devices: PeripheralMapping[] = [];
  private readonly unmodelled = new Set<number>();
  /** Called once per device address no device answers (reads give 0, writes are dropped). */
  onUnmodelled: (address: number, write: boolean) => void = () => {};
  /** Called after any store into IRAM, so decoded instructions there are forgotten. */
  onCodeWrite: (address: number) => void = () => {};
  /** Called when the flash window is mapped or unmapped: instructions decoded there are stale. */
  onFlashRemap: () => void = () => {};

  constructor(private readonly faults: BusFaults) {}

  map(mapping: PeripheralMapping): void {
    const end = mapping.base + mapping.size;
    const inside = (contains(PERIPHERALS, mapping.base) && end <= PERIPHERALS.end) || (contains(DPORT, mapping.base) && end <= DPORT.end);
    if (!inside || (mapping.base & 3) !== 0 || (mapping.size & 3) !== 0 || mapping.size <= 0) {
      throw new RangeError(`${mapping.device.name} at ${hex32(mapping.base)}+${mapping.size} is not an aligned range of device space`);
    }
    for (const other of this.devices) {
      if (mapping.base < other.base + other.size && other.base < end) {
        throw new RangeError(`${mapping.device.name} at ${hex32(mapping.base)} overlaps ${other.device.name}`);
      }
    }
    this.devices.push(mapping);
  }

  /** Maps flash bytes (from offset 0) into the flash window, as Cache_Read_Enable does. */
  mapFlash(contents: Uint8Array): void {
    const size = Math.min(contents.length, FLASH_WINDOW.end - FLASH_WINDOW.start) & ~3;
    this.flash = contents.slice(0, size);
    this.flash32 = new Int32Array(this.flash.buffer);
    this.onFlashRemap();
  }

  unmapFlash(): void {
    this.flash = undefined;
    this.flash32 = undefined;
    this.onFlashRemap();
  }

  /** The flash window's bytes for instruction fetch, or undefined while unmapped. */
  get flashBytes(): Uint8Array | undefined {
    return this.flash;
  }

  load32(address: number): number {
    const d = address - DRAM.start;
    if (d >= 0 && d < this.dram.length) return this.dram32[d >> 2];
    const i = address - IRAM.start;
    if (i >= 0 && i < this.iram.length) return this.iram32[i >> 2];
    return this.load32Slow(address);
  }

  load16(address: number): number {
    const d = address - DRAM.start;
    if (d >= 0 && d < this.dram.length) return this.dram16[d >> 1];
    return this.narrowSlow(address, false);
  }

  load8(address: number): number {
    const d = address - DRAM.start;
    if (d >= 0 && d < this.dram.length) return this.dram[d];
    return this.narrowSlow(address, false);
  }

  store32(address: number, value: number): void {
    const d = address - DRAM.start;
    if (d >= 0 && d < this.dram.length) {
      this.dram32[d >> 2] = value;
      return;
    }
    const i = address - IRAM.start;
    if (i >= 0 && i < this.iram.length) {
      this.iram32[i >> 2] = value;
      this.onCodeWrite(address);
      return;
    }
    this.store32Slow(address, value);
  }

  store16(address: number, value: number): void {
    const d = address - DRAM.start;
    if (d >= 0 && d < this.dram.length) {
      this.dram16[d >> 1] = value;
      return;
    }
    this.narrowSlow(address, true);
  }

  store8(address: number, value: number): void {
    const d = address - DRAM.start;
    if (d >= 0 && d < this.dram.length) {
      this.dram[d] = value;
      return;
    }
    this.narrowSlow(address, true);
  }

  /** Copies bytes into RAM for a loader (the ROM boot, a test harness); not a CPU access. */
  writeBytes(address: number, bytes: Uint8Array): void {
    const target = this.ramAt(address, bytes.length);
    target.set(bytes, address - (target === this.iram ? IRAM.start : DRAM.start));
    if (target === this.iram) for (let a = address; a < address + bytes.length; a += 4) this.onCodeWrite(a);
  }

  /** Reads bytes from RAM for a host-side helper (semihosting, ets_printf); not a CPU access. */
  readBytes(address: number, length: number): Uint8Array {
    const source = this.ramAt(address, length);
    const start = address - (source === this.iram ? IRAM.start : DRAM.start);
    return source.subarray(start, start + length);
  }

  private ramAt(address: number, length: number): Uint8Array {
    if (contains(DRAM, address) && address + length <= DRAM.end) return this.dram;
    if (contains(IRAM, address) && address + length <= IRAM.end) return this.iram;
    throw new RangeError(`${hex32(address)}+${length} is not inside DRAM or IRAM`);
  }

  private load32Slow(address: number): number {
    const f = address - FLASH_WINDOW.start;
    if (f >= 0 && f < FLASH_WINDOW.end - FLASH_WINDOW.start) {
      if (this.flash32 && f < this.flash!.length) return this.flash32[f >> 2];
      return this.faults.fault(Cause.LOAD_PROHIBITED, address);
    }
    const device = this.deviceAt(address);
    if (device) return device.device.read32(address - device.base, this.faults.cycles) | 0;
    if (this.isDeviceSpace(address)) {
      this.noteUnmodelled(address, false);
      return 0;
    }
    if (contains(ROM, address))
      return this.faults.halt(`the program read the mask ROM at ${hex32(address)}, whose contents are not modelled`);
    return this.faults.fault(Cause.LOAD_PROHIBITED, address);
  }

  private store32Slow(address: number, value: number): void {
    const device = this.deviceAt(address);
    if (device) {
      device.device.write32(address - device.base, value >>> 0, this.faults.cycles);
      return;
    }
    if (this.isDeviceSpace(address)) {
      this.noteUnmodelled(address, true);
      return;
    }
    if (contains(FLASH_WINDOW, address)) this.faults.fault(Cause.LOAD_STORE_ERROR, address);
    this.faults.fault(Cause.STORE_PROHIBITED, address);
  }

  /** An 8- or 16-bit access outside DRAM: only word access exists there. */
  private narrowSlow(address: number, write: boolean): never {
    if (contains(IRAM, address) || contains(FLASH_WINDOW, address) || this.isDeviceSpace(address)) {
      return this.faults.fault(Cause.LOAD_STORE_ERROR, address);
    }
    if (!write && contains(ROM, address))
      return this.faults.halt(`the program read the mask ROM at ${hex32(address)}, whose contents are not modelled`);
    return this.faults.fault(write ? Cause.STORE_PROHIBITED : Cause.LOAD_PROHIBITED, address);
  }

  private deviceAt(address: number): PeripheralMapping | undefined {
    for (const mapping of this.devices) {
      if (address >= mapping.base && address < mapping.base + mapping.size) return mapping;
    }
    return undefined;
  }

  private isDeviceSpace(address: number): boolean {
    return contains(PERIPHERALS, address) || contains(DPORT, address);
  }

  private noteUnmodelled(address: number, write: boolean): void {
    if (this.unmodelled.has(address)) return;
    this.unmodelled.add(address);
    this.onUnmodelled(address, write);
  }
}
