// The ESP8266 mask ROM's UART download mode (esptool docs, serial-protocol.rst; ESP8266 specifics from
// esptool targets/esp8266.py). It knows SYNC, register access, RAM uploads and the plain FLASH_* writes;
// every other command gets the "invalid message" status.
import { LoaderBase, checkDataBlock, type LoaderHost } from './loader';
import { buildResponse, Op, RomError, readWords, type Request } from './loader-packets';
import { SECTOR_SIZE } from '../board/nor-flash';

/** SYNC reply value of the ESP8266 ROM (seen in real traces: 01 08 0200 07071220 0000). */
export const ROM_SYNC_VALUE = 0x20120707;
const SECTORS_PER_BLOCK = 16;

export interface RomLoaderOptions {
  /**
   * Op byte of the reply to a command the ROM does not know. Espressif does not document it; esptool
   * classifies the ESP8266 ROM's answer as an unsupported-command error, which it raises only when the
   * reply's op differs from the request's, so it must differ. The value is configurable for that reason.
   */
  unsupportedReplyOp?: number;
}

/**
 * Sectors the ROM's SPIEraseArea really erases for a FLASH_BEGIN erase size. It double-counts the
 * sectors up to the next 64 KiB block boundary; esptool's ESP8266ROM.get_erase_size inverts exactly this.
 */
export function romErasedSectors(offset: number, eraseSize: number): number {
  const requested = Math.ceil(eraseSize / SECTOR_SIZE);
  const startSector = Math.floor(offset / SECTOR_SIZE);
  const head = Math.min(SECTORS_PER_BLOCK - (startSector % SECTORS_PER_BLOCK), requested);
  return requested + head;
}

interface FlashSession {
  offset: number;
  blockSize: number;
  nextSeq: number;
}

export class RomLoader extends LoaderBase {
  protected readonly errors = {
    badLength: RomError.INVALID_MESSAGE,
    badChecksum: RomError.INVALID_CRC,
    badSequence: RomError.FAILED_TO_ACT,
    failed: RomError.FAILED_TO_ACT,
  };
  protected readonly syncValue = ROM_SYNC_VALUE;
  protected readonly maxRegisterWrites = 1;
  private session: FlashSession | undefined;
  private readonly unsupportedReplyOp: number;

  constructor(host: LoaderHost, options: RomLoaderOptions = {}) {
    super(host);
    this.unsupportedReplyOp = options.unsupportedReplyOp ?? 0x00;
  }

  /** ROM status: a non-zero first byte and the error code in the second. */
  protected statusBytes(error: number): [number, number] {
    return error === 0 ? [0, 0] : [1, error];
  }

  protected dispatch(request: Request): Promise<void> {
    const shared = this.dispatchShared(request);
    if (shared) return shared;
    switch (request.op) {
      case Op.FLASH_BEGIN:
        return this.flashBegin(request);
      case Op.FLASH_DATA:
        return this.flashData(request);
      case Op.FLASH_END:
        return this.flashEnd(request);
      default:
        return this.host.send(buildResponse(this.unsupportedReplyOp, 0, Uint8Array.from(this.statusBytes(RomError.INVALID_MESSAGE))));
    }
  }

  private async flashBegin(request: Request): Promise<void> {
    // The ROM takes four words; esptool-js appends a fifth (an encryption flag) for every ROM, which
    // this loader tolerates.
    if (request.data.length !== 16 && request.data.length !== 20) return this.fail(request.op, this.errors.badLength);
    const [eraseSize, , blockSize, offset] = readWords(request.data, 4);
    const { flash } = this.host;
    if (offset % SECTOR_SIZE !== 0 || offset + eraseSize > flash.size || blockSize === 0) {
      return this.fail(request.op, RomError.FAILED_TO_ACT);
    }
    const firstSector = offset / SECTOR_SIZE;
    const sectors = Math.min(romErasedSectors(offset, eraseSize), flash.size / SECTOR_SIZE - firstSector);
    for (let i = 0; i < (eraseSize === 0 ? 0 : sectors); i++) flash.eraseSector(firstSector + i);
    this.session = { offset, blockSize, nextSeq: 0 };
    return this.reply(request.op);
  }

  private async flashData(request: Request): Promise<void> {
    const session = this.session;
    if (!session) return this.fail(request.op, RomError.FAILED_TO_ACT);
    const check = checkDataBlock(request);
    if ('error' in check) return this.fail(request.op, this.blockError(check));
    const { seq, payload } = check.block;
    if (seq !== session.nextSeq) return this.fail(request.op, this.errors.badSequence);
    const address = session.offset + seq * session.blockSize;
    if (address + payload.length > this.host.flash.size) return this.fail(request.op, RomError.FLASH_WRITE);
    this.host.flash.program(address, payload);
    session.nextSeq++;
    return this.reply(request.op);
  }

  /**
   * FLASH_END's word is 0 to reboot, 1 to run user code (esptool docs, serial protocol); either way
   * the ROM leaves its loader, which is why esptool never sends it to the ROM unless it means to leave
   * ("skip sending flash_finish to ROM loader here, as it causes the loader to exit and run user
   * code", esptool.py write_flash; ESP8266ROM.soft_reset sends 1 as "as close to a soft reset as we
   * can do").
   */
  private async flashEnd(request: Request): Promise<void> {
    if (request.data.length !== 4) return this.fail(request.op, this.errors.badLength);
    const [runUserCode] = readWords(request.data, 1);
    this.session = undefined;
    await this.reply(request.op);
    if (runUserCode === 0) this.host.softwareReset();
    else this.host.runUserCode();
  }
}
