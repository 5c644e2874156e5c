// Packet layout of the ESP8266 serial loader (esptool docs, serial-protocol.rst "Command Packet" and
// "Response Packet"). Requests: 00 op len:u16 chk:u32 data. Responses: 01 op len:u16 value:u32 data,
// where data ends in two status bytes on the ESP8266 (ROM and both stub generations).

export const Op = {
  FLASH_BEGIN: 0x02,
  FLASH_DATA: 0x03,
  FLASH_END: 0x04,
  MEM_BEGIN: 0x05,
  MEM_END: 0x06,
  MEM_DATA: 0x07,
  SYNC: 0x08,
  WRITE_REG: 0x09,
  READ_REG: 0x0a,
  SPI_SET_PARAMS: 0x0b,
  SPI_ATTACH: 0x0d,
  CHANGE_BAUDRATE: 0x0f,
  FLASH_DEFL_BEGIN: 0x10,
  FLASH_DEFL_DATA: 0x11,
  FLASH_DEFL_END: 0x12,
  SPI_FLASH_MD5: 0x13,
  GET_SECURITY_INFO: 0x14,
  ERASE_FLASH: 0xd0,
  ERASE_REGION: 0xd1,
  READ_FLASH: 0xd2,
  RUN_USER_CODE: 0xd3,
} as const;

/** ROM loader error codes (second status byte; serial-protocol.rst "Status bytes"). */
export const RomError = {
  INVALID_MESSAGE: 0x05,
  FAILED_TO_ACT: 0x06,
  INVALID_CRC: 0x07,
  FLASH_WRITE: 0x08,
  FLASH_READ: 0x09,
} as const;

/** Flasher stub error codes (esp-flasher-stub src/commands.h; the legacy stub uses the high bytes). */
export const StubError = {
  BAD_DATA_LEN: 0xc000,
  BAD_DATA_CHECKSUM: 0xc100,
  BAD_BLOCKSIZE: 0xc200,
  INVALID_COMMAND: 0xc300,
  FAILED_SPI_OP: 0xc400,
  NOT_IN_FLASH_MODE: 0xc600,
  INFLATE_ERROR: 0xc700,
  NOT_ENOUGH_DATA: 0xc800,
  TOO_MUCH_DATA: 0xc900,
  CMD_NOT_IMPLEMENTED: 0xff00,
} as const;

/** SYNC payload: 07 07 12 20 followed by 32 × 0x55 (serial-protocol.rst). */
export const SYNC_PAYLOAD = Uint8Array.from([0x07, 0x07, 0x12, 0x20, ...new Array<number>(32).fill(0x55)]);
export const CHECKSUM_SEED = 0xef;

export interface Request {
  op: number;
  /** Length field of the header (may disagree with data.length on a damaged packet). */
  declaredLength: number;
  checksum: number;
  data: Uint8Array;
}

/** Returns undefined for packets that are not requests (too short, or a response direction byte). */
export function parseRequest(packet: Uint8Array): Request | undefined {
  if (packet.length < 8 || packet[0] !== 0x00) return undefined;
  const view = new DataView(packet.buffer, packet.byteOffset, packet.byteLength);
  return {
    op: packet[1],
    declaredLength: view.getUint16(2, true),
    checksum: view.getUint32(4, true),
    data: packet.subarray(8),
  };
}

export function buildResponse(op: number, value: number, body: Uint8Array): Uint8Array {
  const packet = new Uint8Array(8 + body.length);
  const view = new DataView(packet.buffer);
  packet[0] = 0x01;
  packet[1] = op;
  view.setUint16(2, body.length, true);
  view.setUint32(4, value >>> 0, true);
  packet.set(body, 8);
  return packet;
}

/** XOR of every byte, seeded with 0xEF: the data checksum of MEM_DATA, FLASH_DATA and FLASH_DEFL_DATA. */
export function dataChecksum(data: Uint8Array): number {
  let sum = CHECKSUM_SEED;
  for (const byte of data) sum ^= byte;
  return sum;
}

export function readWords(data: Uint8Array, count: number): number[] {
  const view = new DataView(data.buffer, data.byteOffset, data.byteLength);
  const words: number[] = [];
  for (let i = 0; i < count; i++) words.push(view.getUint32(4 * i, true));
  return words;
}

export function u32le(value: number): Uint8Array {
  const bytes = new Uint8Array(4);
  new DataView(bytes.buffer).setUint32(0, value >>> 0, true);
  return bytes;
}
