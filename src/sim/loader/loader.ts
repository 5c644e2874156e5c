// Behaviour the ESP8266 ROM loader and the flasher stubs share: request validation, the status-byte
// convention, SYNC, register access and uploads to RAM (MEM_BEGIN / MEM_DATA / MEM_END).
import type { ChipRegisters } from './chip-registers';
import type { NorFlash } from '../board/nor-flash';
import { buildResponse, dataChecksum, Op, parseRequest, readWords, SYNC_PAYLOAD, type Request } from './loader-packets';

export interface LoaderHost {
  readonly flash: NorFlash;
  readonly registers: ChipRegisters;
  /** SLIP-frames a packet and transmits it at the current UART rate; resolves once it left the wire. */
  send(packet: Uint8Array): Promise<void>;
  /** Changes the UART rate for everything transmitted or received from now on. */
  setBaud(baud: number): void;
  /** The CPU jumps to `entry` in code uploaded with MEM_*. */
  jumpTo(entry: number, ram: ReadonlyMap<number, Uint8Array>): void;
  /** Leave the loader and go on with the ROM's flash boot, without a reset ("run user code"). */
  runUserCode(): void;
  /**
   * A software reset: the CPU starts over at the reset vector and the ROM follows the boot mode
   * latched at the last external reset (so with GPIO0 held low it is back in its UART loader).
   */
  softwareReset(): void;
}

/** One serial loader generation (ROM, esp-flasher-stub, legacy stub). */
export interface Loader {
  handle(packet: Uint8Array): Promise<void>;
  stop(): void;
}

/** Sequenced data blocks: `[length, seq, 0, 0]` followed by `length` bytes and an XOR checksum. */
export interface DataBlock {
  seq: number;
  payload: Uint8Array;
}

export type BlockCheck = { block: DataBlock } | { error: 'length' | 'checksum' };

export function checkDataBlock(request: Request): BlockCheck {
  if (request.data.length < 16) return { error: 'length' };
  const [length, seq] = readWords(request.data, 2);
  const payload = request.data.subarray(16);
  if (payload.length !== length) return { error: 'length' };
  if (dataChecksum(payload) !== request.checksum) return { error: 'checksum' };
  return { block: { seq, payload } };
}

interface RamUpload {
  address: number;
  size: number;
  blockSize: number;
  blocks: number;
  nextSeq: number;
  buffer: Uint8Array;
}

export abstract class LoaderBase implements Loader {
  protected readonly ram = new Map<number, Uint8Array>();
  private upload: RamUpload | undefined;

  constructor(protected readonly host: LoaderHost) {}

  async handle(packet: Uint8Array): Promise<void> {
    const request = parseRequest(packet);
    if (!request) return; // the loaders ignore anything that is not a request packet
    if (request.data.length !== request.declaredLength) {
      await this.fail(request.op, this.errors.badLength);
      return;
    }
    await this.dispatch(request);
  }

  stop(): void {}

  protected abstract readonly errors: { badLength: number; badChecksum: number; badSequence: number; failed: number };
  /** The reply value of SYNC: non-zero from the ROM, zero from a stub (how clients tell them apart). */
  protected abstract readonly syncValue: number;
  protected abstract statusBytes(error: number): [number, number];
  protected abstract dispatch(request: Request): Promise<void>;
  /** How many (addr, value, mask, delay) quadruples one WRITE_REG may carry. */
  protected abstract readonly maxRegisterWrites: number;

  /** The commands the ROM and every stub answer alike; undefined for any other. */
  protected dispatchShared(request: Request): Promise<void> | undefined {
    switch (request.op) {
      case Op.SYNC:
        return this.sync(request);
      case Op.READ_REG:
        return this.readRegister(request);
      case Op.WRITE_REG:
        return this.writeRegister(request);
      case Op.MEM_BEGIN:
        return this.memBegin(request);
      case Op.MEM_DATA:
        return this.memData(request);
      case Op.MEM_END:
        return this.memEnd(request);
      default:
        return undefined;
    }
  }

  protected reply(op: number, value = 0, body: Uint8Array = new Uint8Array(0)): Promise<void> {
    return this.host.send(buildResponse(op, value, Uint8Array.from([...body, ...this.statusBytes(0)])));
  }

  protected fail(op: number, error: number): Promise<void> {
    return this.host.send(buildResponse(op, 0, Uint8Array.from(this.statusBytes(error))));
  }

  protected blockError(check: { error: 'length' | 'checksum' }): number {
    return check.error === 'length' ? this.errors.badLength : this.errors.badChecksum;
  }

  protected async sync(request: Request): Promise<void> {
    if (!sameBytes(request.data, SYNC_PAYLOAD)) return; // not a SYNC frame: the loader stays silent
    // Every ESP8266 loader answers one SYNC eight times (esptool-js waits for all eight).
    for (let i = 0; i < 8; i++) void this.reply(Op.SYNC, this.syncValue);
  }

  protected async readRegister(request: Request): Promise<void> {
    if (request.data.length !== 4) return this.fail(request.op, this.errors.badLength);
    const [address] = readWords(request.data, 1);
    return this.reply(request.op, this.host.registers.read(address));
  }

  protected async writeRegister(request: Request): Promise<void> {
    const count = request.data.length / 16;
    if (!Number.isInteger(count) || count < 1 || count > this.maxRegisterWrites) {
      return this.fail(request.op, this.errors.badLength);
    }
    const words = readWords(request.data, count * 4);
    for (let i = 0; i < count; i++) this.host.registers.write(words[4 * i], words[4 * i + 1], words[4 * i + 2]);
    return this.reply(request.op);
  }

  protected async memBegin(request: Request): Promise<void> {
    if (request.data.length !== 16) return this.fail(request.op, this.errors.badLength);
    const [size, blocks, blockSize, address] = readWords(request.data, 4);
    if (size > 0x20000 || blocks * blockSize < size) return this.fail(request.op, this.errors.failed);
    this.upload = { address, size, blockSize, blocks, nextSeq: 0, buffer: new Uint8Array(size) };
    return this.reply(request.op);
  }

  protected async memData(request: Request): Promise<void> {
    const upload = this.upload;
    if (!upload) return this.fail(request.op, this.errors.failed);
    const check = checkDataBlock(request);
    if ('error' in check) return this.fail(request.op, this.blockError(check));
    const { seq, payload } = check.block;
    if (seq !== upload.nextSeq) return this.fail(request.op, this.errors.badSequence);
    const start = seq * upload.blockSize;
    if (start + payload.length > upload.size) return this.fail(request.op, this.errors.badLength);
    upload.buffer.set(payload, start);
    upload.nextSeq++;
    if (upload.nextSeq === upload.blocks) this.ram.set(upload.address, upload.buffer);
    return this.reply(request.op);
  }

  private async memEnd(request: Request): Promise<void> {
    if (request.data.length !== 8) return this.fail(request.op, this.errors.badLength);
    const [executeFlag, entry] = readWords(request.data, 2);
    this.upload = undefined;
    await this.reply(request.op);
    if (this.jumpsAfterUpload(executeFlag, entry)) this.host.jumpTo(entry, this.ram);
  }

  /** MEM_END's two words: the ROM runs the upload when the first is 0 (esptool sends 1 to stay). */
  protected jumpsAfterUpload(executeFlag: number, _entry: number): boolean {
    return executeFlag === 0;
  }
}

export function sameBytes(a: Uint8Array, b: Uint8Array): boolean {
  return a.length === b.length && a.every((byte, i) => byte === b[i]);
}
