// The flasher stub that clients upload to RAM and start with MEM_END. It adds compressed writes,
// MD5, erase, read-back and baud changes to the ROM's command set (esptool docs serial-protocol.rst;
// esp-flasher-stub src/command_handler.c for the behaviour of the generation esptool-js 0.7 uploads,
// esptool-legacy-flasher-stub for the one Python esptool up to v4 uploads).
import { createHash, type Hash } from 'node:crypto';
import { StreamingInflater } from './inflater';
import { LoaderBase, checkDataBlock, type LoaderHost } from './loader';
import { Op, StubError, readWords, type Request } from './loader-packets';
import { SECTOR_SIZE } from '../board/nor-flash';

export type StubGeneration = 'esp-flasher-stub' | 'legacy';

/** The one unsolicited packet of the protocol: the stub says hello once it runs. */
export const STUB_GREETING = Uint8Array.from([0x4f, 0x48, 0x41, 0x49]); // "OHAI"

/** Largest data block the stub's buffers hold (esp-flasher-stub MAX_RESPONSE / flash buffers). */
const MAX_BLOCK_SIZE = 0x4000;
/** READ_FLASH sends at most one 4 KiB buffer per packet. */
const MAX_READ_PACKET = 0x1000;

interface WriteSession {
  offset: number;
  /** Bytes the client announced: uncompressed size for FLASH_DEFL_BEGIN, erase size for FLASH_BEGIN. */
  total: number;
  written: number;
  blockSize: number;
  nextSeq: number;
  /** First sector not yet erased in this session (sectors are erased just before they are written). */
  nextSectorToErase: number;
  inflater?: StreamingInflater;
}

interface ReadBack {
  next: number;
  end: number;
  start: number;
  packetSize: number;
  /** The client's max_inflight word: the legacy stub compares it with unacknowledged bytes. */
  maxInFlight: number;
  sentPackets: number;
  /** Acknowledgement frames received (esp-flasher-stub's flow control counts these). */
  ackedPackets: number;
  /** The byte count the last acknowledgement carried. */
  acknowledged: number;
  md5: Hash;
}

export class FlasherStub extends LoaderBase {
  protected readonly errors = {
    badLength: StubError.BAD_DATA_LEN,
    badChecksum: StubError.BAD_DATA_CHECKSUM,
    badSequence: StubError.BAD_DATA_LEN,
    failed: StubError.FAILED_SPI_OP,
  };
  protected readonly syncValue = 0;
  protected readonly maxRegisterWrites = 16;
  private session: WriteSession | undefined;
  /** An error from work done after a block was acknowledged; the next command reports it. */
  private deferredError = 0;
  private readBack: ReadBack | undefined;

  constructor(
    host: LoaderHost,
    readonly generation: StubGeneration,
  ) {
    super(host);
  }

  /** Must be sent once the MEM_END reply is out. */
  greet(): Promise<void> {
    return this.host.send(STUB_GREETING);
  }

  override async handle(packet: Uint8Array): Promise<void> {
    if (this.readBack) {
      // While streaming flash contents the stub only listens for acknowledgements. esp-flasher-stub
      // ends the read on a frame of any other length (with the MD5 of what it sent); the legacy stub
      // waits for a 4-byte one.
      if (packet.length === 4) this.acknowledge(new DataView(packet.buffer, packet.byteOffset, 4).getUint32(0, true));
      else if (this.generation === 'esp-flasher-stub') this.finishRead();
      return;
    }
    return super.handle(packet);
  }

  override stop(): void {
    this.session?.inflater?.dispose();
    this.session = undefined;
    this.readBack = undefined;
  }

  protected statusBytes(error: number): [number, number] {
    if (error === 0) return [0, 0];
    // esp-flasher-stub sends its 16-bit code big-endian; the legacy stub sends its one-byte code
    // followed by a non-zero status.
    return this.generation === 'legacy' ? [error >> 8, 1] : [error >> 8, error & 0xff];
  }

  protected dispatch(request: Request): Promise<void> {
    if (this.deferredError !== 0) {
      const error = this.deferredError;
      this.deferredError = 0;
      return this.fail(request.op, error);
    }
    const shared = this.dispatchShared(request);
    if (shared) return shared;
    switch (request.op) {
      case Op.SPI_ATTACH:
      case Op.SPI_SET_PARAMS:
        return this.reply(request.op);
      case Op.FLASH_BEGIN:
        return this.writeBegin(request, false);
      case Op.FLASH_DEFL_BEGIN:
        return this.writeBegin(request, true);
      case Op.FLASH_DATA:
        return this.writeData(request, false);
      case Op.FLASH_DEFL_DATA:
        return this.writeData(request, true);
      case Op.FLASH_END:
      case Op.FLASH_DEFL_END:
        return this.writeEnd(request);
      case Op.CHANGE_BAUDRATE:
        return this.changeBaudRate(request);
      case Op.SPI_FLASH_MD5:
        return this.md5(request);
      case Op.ERASE_FLASH:
        return this.eraseFlash(request);
      case Op.ERASE_REGION:
        return this.eraseRegion(request);
      case Op.READ_FLASH:
        return this.readFlash(request);
      case Op.RUN_USER_CODE:
        return this.runUserCode();
      // Security info is a chip feature the ESP8266 lacks; the stub answers "not implemented".
      case Op.GET_SECURITY_INFO:
        return this.fail(request.op, StubError.CMD_NOT_IMPLEMENTED);
      default:
        return this.fail(request.op, StubError.INVALID_COMMAND);
    }
  }

  private async writeBegin(request: Request, compressed: boolean): Promise<void> {
    // Four words; esptool-js sends a fifth (encryption flag) to ROMs only, but accept it here too.
    if (request.data.length !== 16 && request.data.length !== 20) return this.fail(request.op, StubError.BAD_DATA_LEN);
    const [total, , blockSize, offset] = readWords(request.data, 4);
    if (blockSize === 0 || blockSize > MAX_BLOCK_SIZE) return this.fail(request.op, StubError.BAD_BLOCKSIZE);
    if (offset + total > this.host.flash.size) return this.fail(request.op, StubError.FAILED_SPI_OP);
    this.session?.inflater?.dispose();
    this.session = {
      offset,
      total,
      written: 0,
      blockSize,
      nextSeq: 0,
      // An unaligned start erases from the beginning of its sector, as the stub does.
      nextSectorToErase: Math.floor(offset / SECTOR_SIZE),
      inflater: compressed ? new StreamingInflater() : undefined,
    };
    return this.reply(request.op);
  }

  private async writeData(request: Request, compressed: boolean): Promise<void> {
    const session = this.session;
    if (!session || (session.inflater !== undefined) !== compressed) return this.fail(request.op, StubError.NOT_IN_FLASH_MODE);
    const check = checkDataBlock(request);
    // esp-flasher-stub answers a block whose length word disagrees with its size with TOO_MUCH_DATA.
    if ('error' in check) return this.fail(request.op, check.error === 'length' ? StubError.TOO_MUCH_DATA : StubError.BAD_DATA_CHECKSUM);
    const { seq, payload } = check.block;
    if (seq !== session.nextSeq) return this.fail(request.op, StubError.BAD_DATA_LEN);
    if (compressed && session.written >= session.total) return this.fail(request.op, StubError.TOO_MUCH_DATA);
    if (payload.length > session.blockSize) return this.fail(request.op, StubError.BAD_BLOCKSIZE);
    session.nextSeq++;
    if (!session.inflater) {
      const result = this.program(session, payload.subarray(0, Math.max(0, session.total - session.written)));
      return result === 0 ? this.reply(request.op) : this.fail(request.op, result);
    }
    // Acknowledge first and inflate afterwards, as the stub does; a failure surfaces on the next command.
    void this.reply(request.op);
    try {
      const inflated = await session.inflater.push(payload);
      if (this.session !== session) return; // reset or a new write while inflating: this data is void
      const result = this.program(session, inflated);
      if (result !== 0) this.deferredError = result;
    } catch {
      if (this.session === session) this.deferredError = StubError.INFLATE_ERROR;
    }
  }

  /** Writes sequential data into the session's region, erasing each sector just before first use. */
  private program(session: WriteSession, data: Uint8Array): number {
    if (data.length === 0) return 0;
    if (session.written + data.length > session.total) return StubError.TOO_MUCH_DATA;
    const address = session.offset + session.written;
    const lastSector = Math.floor((address + data.length - 1) / SECTOR_SIZE);
    const { flash } = this.host;
    for (; session.nextSectorToErase <= lastSector; session.nextSectorToErase++) {
      if (!flash.isSectorBlank(session.nextSectorToErase)) flash.eraseSector(session.nextSectorToErase);
    }
    flash.program(address, data);
    session.written += data.length;
    return 0;
  }

  private async writeEnd(request: Request): Promise<void> {
    if (request.data.length !== 4) return this.fail(request.op, StubError.BAD_DATA_LEN);
    const session = this.session;
    if (!session) return this.fail(request.op, StubError.NOT_IN_FLASH_MODE);
    const [stayInStub] = readWords(request.data, 1);
    session.inflater?.dispose();
    this.session = undefined;
    if (session.written < session.total) return this.fail(request.op, StubError.BAD_DATA_LEN);
    await this.reply(request.op);
    // Only the legacy stub implements the reboot (0): once the reply has left, a software reset, after
    // which the ROM follows the boot mode latched at the last external reset; esptool's soft_reset
    // relies on it to get back to the ROM loader ("will re-load the ROM bootloader"). esp-flasher-stub
    // leaves the reboot as a TODO and stays.
    if (stayInStub === 0 && this.generation === 'legacy') this.host.softwareReset();
  }

  private async changeBaudRate(request: Request): Promise<void> {
    if (request.data.length !== 8) return this.fail(request.op, StubError.BAD_DATA_LEN);
    const [newBaud] = readWords(request.data, 1);
    if (newBaud < 300 || newBaud > 4_000_000) return this.fail(request.op, StubError.FAILED_SPI_OP);
    // The reply still goes out at the old rate; the UART switches once it has left.
    await this.reply(request.op);
    this.host.setBaud(newBaud);
  }

  private async md5(request: Request): Promise<void> {
    if (request.data.length !== 16) return this.fail(request.op, StubError.BAD_DATA_LEN);
    const [address, size] = readWords(request.data, 2);
    if (address + size > this.host.flash.size) return this.fail(request.op, StubError.FAILED_SPI_OP);
    const digest = createHash('md5').update(this.host.flash.read(address, size)).digest();
    return this.reply(request.op, 0, new Uint8Array(digest));
  }

  private async eraseFlash(request: Request): Promise<void> {
    this.host.flash.eraseAll();
    return this.reply(request.op);
  }

  private async eraseRegion(request: Request): Promise<void> {
    if (request.data.length !== 8) return this.fail(request.op, StubError.BAD_DATA_LEN);
    const [address, size] = readWords(request.data, 2);
    if (address % SECTOR_SIZE !== 0 || size % SECTOR_SIZE !== 0) return this.fail(request.op, StubError.BAD_DATA_LEN);
    if (address + size > this.host.flash.size) return this.fail(request.op, StubError.FAILED_SPI_OP);
    this.host.flash.eraseRange(address, size);
    return this.reply(request.op);
  }

  private async readFlash(request: Request): Promise<void> {
    if (request.data.length !== 16) return this.fail(request.op, StubError.BAD_DATA_LEN);
    const [address, size, packetSize, maxInFlight] = readWords(request.data, 4);
    if (packetSize === 0 || packetSize > MAX_READ_PACKET || maxInFlight === 0) return this.fail(request.op, StubError.BAD_DATA_LEN);
    if (address + size > this.host.flash.size) return this.fail(request.op, StubError.FAILED_SPI_OP);
    await this.reply(request.op);
    this.readBack = {
      start: address,
      next: address,
      end: address + size,
      packetSize,
      maxInFlight,
      sentPackets: 0,
      ackedPackets: 0,
      acknowledged: 0,
      md5: createHash('md5'),
    };
    if (size === 0) this.finishRead();
    else this.streamFlash();
  }

  /**
   * Whether the stub may send another packet now. esp-flasher-stub counts packets: it sends the next
   * once it has received as many acknowledgement frames as it sent packets, whatever they say, and
   * ignores the client's max_inflight ("Setting it to 1", s_read_flash_post_process). The legacy stub
   * compares unacknowledged bytes with max_inflight (handle_flash_read), so with the usual 64 and
   * 4 KiB packets it too keeps one packet in flight.
   */
  private maySend(read: ReadBack): boolean {
    if (read.next >= read.end) return false;
    if (this.generation === 'legacy') return read.next - read.start - read.acknowledged < read.maxInFlight;
    return read.sentPackets - read.ackedPackets < 1;
  }

  private streamFlash(): void {
    const read = this.readBack;
    if (!read) return;
    while (this.maySend(read)) {
      const chunk = this.host.flash.read(read.next, Math.min(read.packetSize, read.end - read.next));
      read.md5.update(chunk);
      read.next += chunk.length;
      read.sentPackets++;
      void this.host.send(chunk);
    }
  }

  private acknowledge(received: number): void {
    const read = this.readBack;
    if (!read) return;
    read.ackedPackets++;
    read.acknowledged = received;
    const sent = read.next - read.start;
    // Both stubs end once the client acknowledged every byte; the legacy stub also on an
    // acknowledgement of more bytes than it sent.
    if (received >= read.end - read.start || (this.generation === 'legacy' && received > sent)) this.finishRead();
    else this.streamFlash();
  }

  /** The read ends with the MD5 of the bytes sent, and the stub takes commands again. */
  private finishRead(): void {
    const read = this.readBack;
    if (!read) return;
    this.readBack = undefined;
    void this.host.send(new Uint8Array(read.md5.digest()));
  }

  private async runUserCode(): Promise<void> {
    // esp-flasher-stub neither answers nor acts (its source has a TODO); the legacy stub returns into
    // the ROM, which goes on with its standard boot from flash.
    if (this.generation === 'legacy') this.host.runUserCode();
  }

  /**
   * The legacy stub jumps whenever the entry point is not 0, whatever the first word says (its
   * stub_flasher.c); esp-flasher-stub jumps on a first word of 0, as the ROM does.
   */
  protected override jumpsAfterUpload(executeFlag: number, entry: number): boolean {
    return this.generation === 'legacy' ? entry !== 0 : super.jumpsAfterUpload(executeFlag, entry);
  }
}
