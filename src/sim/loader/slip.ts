// SLIP framing as the ESP8266 serial loader uses it (RFC 1055 with an 0xC0 frame mark at both ends;
// esptool docs, serial-protocol.rst "Low Level Protocol").
export const SLIP_END = 0xc0;
export const SLIP_ESC = 0xdb;
export const SLIP_ESC_END = 0xdc;
export const SLIP_ESC_ESC = 0xdd;

export function slipEncode(packet: Uint8Array): Uint8Array {
  const out: number[] = [SLIP_END];
  for (const byte of packet) {
    if (byte === SLIP_END) out.push(SLIP_ESC, SLIP_ESC_END);
    else if (byte === SLIP_ESC) out.push(SLIP_ESC, SLIP_ESC_ESC);
    else out.push(byte);
  }
  out.push(SLIP_END);
  return Uint8Array.from(out);
}

/**
 * Streaming decoder. Bytes outside a frame (boot noise, line garbage) are dropped, and a frame longer
 * than `maxPacket` is discarded whole, so a noisy or hostile line can never grow memory without bound.
 */
export class SlipDecoder {
  private readonly buffer: Uint8Array;
  private length = 0;
  private inFrame = false;
  private escaped = false;
  private overflowed = false;

  constructor(
    private readonly onPacket: (packet: Uint8Array) => void,
    readonly maxPacket = 0x4000 + 64,
  ) {
    this.buffer = new Uint8Array(maxPacket);
  }

  push(bytes: Uint8Array): void {
    for (const byte of bytes) this.pushByte(byte);
  }

  /** Bytes held for the frame in progress; never more than maxPacket. */
  get pending(): number {
    return this.length;
  }

  reset(): void {
    this.length = 0;
    this.inFrame = false;
    this.escaped = false;
    this.overflowed = false;
  }

  private pushByte(byte: number): void {
    if (byte === SLIP_END) {
      // An empty frame is just two frame marks back to back (or the start of the next frame).
      if (this.inFrame && this.length > 0 && !this.overflowed) this.onPacket(this.buffer.slice(0, this.length));
      this.length = 0;
      this.inFrame = true;
      this.escaped = false;
      this.overflowed = false;
      return;
    }
    if (!this.inFrame) return;
    let value = byte;
    if (this.escaped) {
      this.escaped = false;
      if (byte === SLIP_ESC_END) value = SLIP_END;
      else if (byte === SLIP_ESC_ESC) value = SLIP_ESC;
      else {
        // An invalid escape corrupts the frame: drop it and wait for the next frame mark.
        this.inFrame = false;
        this.length = 0;
        return;
      }
    } else if (byte === SLIP_ESC) {
      this.escaped = true;
      return;
    }
    if (this.overflowed) return;
    if (this.length >= this.buffer.length) {
      this.overflowed = true;
      this.length = 0;
      return;
    }
    this.buffer[this.length++] = value;
  }
}
