// A FakeLink that answers the first commands of the ESP boot ROM serial protocol (SLIP frames,
// SYNC with its 8 replies, READ_REG of the chip magic register) with a configurable chip magic.
// Enough to reach chip detection; anything further is answered with an error status.
import { FakeLink } from '../serial/fake-link';

const SLIP_END = 0xc0;
const SLIP_ESC = 0xdb;

function slipEncode(packet: number[]): number[] {
  const out = [SLIP_END];
  for (const byte of packet) {
    if (byte === SLIP_END) out.push(SLIP_ESC, 0xdc);
    else if (byte === SLIP_ESC) out.push(SLIP_ESC, 0xdd);
    else out.push(byte);
  }
  out.push(SLIP_END);
  return out;
}

function u32le(value: number): number[] {
  return [value & 0xff, (value >>> 8) & 0xff, (value >>> 16) & 0xff, (value >>> 24) & 0xff];
}

export const ESP32_MAGIC = 0x00f01d83;
export const CHIP_MAGIC_REG = 0x40001000;

export class ScriptedRomLink extends FakeLink {
  readonly commands: number[] = [];
  private frame: number[] | undefined;
  private escaped = false;

  constructor(
    path: string,
    baudRate: number,
    private readonly chipMagic: number,
  ) {
    super(path, baudRate);
  }

  override write(data: Buffer, callback?: (error: Error | null | undefined) => void): boolean {
    const result = super.write(data, callback);
    for (const byte of data) this.decode(byte);
    return result;
  }

  private decode(byte: number): void {
    if (byte === SLIP_END) {
      if (this.frame && this.frame.length >= 8) this.answer(this.frame);
      this.frame = [];
      return;
    }
    if (!this.frame) return;
    if (this.escaped) {
      this.frame.push(byte === 0xdc ? SLIP_END : SLIP_ESC);
      this.escaped = false;
      return;
    }
    if (byte === SLIP_ESC) {
      this.escaped = true;
      return;
    }
    this.frame.push(byte);
  }

  private reply(op: number, value: number, status: [number, number]): void {
    const packet = [0x01, op, 2, 0, ...u32le(value), ...status];
    setImmediate(() => {
      if (this.isOpen) this.receive(slipEncode(packet));
    });
  }

  private answer(request: number[]): void {
    const op = request[1];
    this.commands.push(op);
    const data = request.slice(8);
    if (op === 0x08) {
      for (let i = 0; i < 8; i += 1) this.reply(op, 0x20120707, [0, 0]);
    } else if (op === 0x0a) {
      const address = (data[0] | (data[1] << 8) | (data[2] << 16) | (data[3] << 24)) >>> 0;
      this.reply(op, address === CHIP_MAGIC_REG ? this.chipMagic : 0, [0, 0]);
    } else {
      // The reply ROMs give to a command they do not implement: status 1, error 0x05.
      this.reply(0x00, 0, [1, 5]);
    }
  }
}
