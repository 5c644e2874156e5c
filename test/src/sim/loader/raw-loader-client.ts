// A deliberately small serial-loader client written from Espressif's protocol description
// (serial-protocol.rst), independent of esptool-js, to drive the virtual board byte by byte.
import { SerialPortStream } from '@serialport/stream';
import { VirtualBinding } from '../../../../src/sim/host/binding';

export const OP = {
  FLASH_BEGIN: 0x02,
  FLASH_DATA: 0x03,
  FLASH_END: 0x04,
  MEM_BEGIN: 0x05,
  MEM_END: 0x06,
  MEM_DATA: 0x07,
  SYNC: 0x08,
  WRITE_REG: 0x09,
  READ_REG: 0x0a,
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

export interface Response {
  op: number;
  value: number;
  body: Uint8Array;
  status: [number, number];
}

export const sleep = (ms: number) => new Promise<void>((resolve) => setTimeout(resolve, ms));

export function words(...values: number[]): Uint8Array {
  const out = Buffer.alloc(values.length * 4);
  values.forEach((v, i) => out.writeUInt32LE(v >>> 0, i * 4));
  return new Uint8Array(out);
}

function slip(packet: Uint8Array): Buffer {
  const out = [0xc0];
  for (const b of packet) {
    if (b === 0xc0) out.push(0xdb, 0xdc);
    else if (b === 0xdb) out.push(0xdb, 0xdd);
    else out.push(b);
  }
  out.push(0xc0);
  return Buffer.from(out);
}

export function checksum(data: Uint8Array): number {
  return data.reduce((sum, b) => sum ^ b, 0xef);
}

export class RawLoaderClient {
  readonly port: SerialPortStream;
  /** Every byte received, framed or not. */
  raw: number[] = [];
  private frames: Uint8Array[] = [];
  private current: number[] | undefined;
  private escaped = false;
  private waiters: Array<() => void> = [];

  constructor(
    readonly path: string,
    baudRate = 115200,
  ) {
    this.port = new SerialPortStream({ binding: VirtualBinding, path, baudRate, autoOpen: false });
    this.port.on('data', (chunk: Buffer) => this.onData(chunk));
  }

  open(): Promise<void> {
    return new Promise((resolve, reject) => this.port.open((err) => (err ? reject(err) : resolve())));
  }

  close(): Promise<void> {
    if (!this.port.isOpen) return Promise.resolve();
    return new Promise((resolve) => this.port.close(() => resolve()));
  }

  setLines(dtr: boolean, rts: boolean): Promise<void> {
    return new Promise((resolve, reject) => this.port.set({ dtr, rts }, (err) => (err ? reject(err) : resolve())));
  }

  setBaud(baudRate: number): Promise<void> {
    return new Promise((resolve, reject) => this.port.update({ baudRate }, (err) => (err ? reject(err) : resolve())));
  }

  /** The classic DTR/RTS sequence into the ROM loader (the 20 ms are pulse widths, as esptool holds them). */
  async resetIntoLoader(): Promise<void> {
    await this.setLines(false, true);
    await sleep(20);
    await this.setLines(true, false);
    await sleep(20);
    await this.setLines(false, false);
  }

  async hardReset(): Promise<void> {
    await this.setLines(false, true);
    await sleep(20);
    await this.setLines(false, false);
  }

  discard(): void {
    this.frames = [];
    this.raw = [];
  }

  writeRaw(bytes: Uint8Array): Promise<void> {
    return new Promise((resolve, reject) => {
      this.port.write(Buffer.from(bytes));
      this.port.drain((err) => (err ? reject(err) : resolve()));
    });
  }

  /** Sends one request packet. */
  send(op: number, data: Uint8Array = new Uint8Array(0), chk = 0): Promise<void> {
    const header = Buffer.alloc(8);
    header[1] = op;
    header.writeUInt16LE(data.length, 2);
    header.writeUInt32LE(chk >>> 0, 4);
    return this.writeRaw(slip(Buffer.concat([header, Buffer.from(data)])));
  }

  async command(op: number, data: Uint8Array = new Uint8Array(0), chk = 0, timeoutMs = 2000): Promise<Response> {
    this.discard();
    await this.send(op, data, chk);
    return this.response(timeoutMs);
  }

  /** The next response packet, whatever its op. */
  async response(timeoutMs = 2000): Promise<Response> {
    for (;;) {
      const frame = await this.nextFrame(timeoutMs);
      if (frame.length < 10 || frame[0] !== 0x01) continue;
      const view = Buffer.from(frame);
      const body = frame.subarray(8, frame.length - 2);
      return { op: frame[1], value: view.readUInt32LE(4), body, status: [frame[frame.length - 2], frame[frame.length - 1]] };
    }
  }

  async nextFrame(timeoutMs = 2000): Promise<Uint8Array> {
    const deadline = Date.now() + timeoutMs;
    while (this.frames.length === 0) {
      const left = deadline - Date.now();
      if (left <= 0) throw new Error(`no frame within ${timeoutMs} ms`);
      await new Promise<void>((resolve) => {
        const timer = setTimeout(resolve, left);
        this.waiters.push(() => {
          clearTimeout(timer);
          resolve();
        });
      });
    }
    return this.frames.shift() as Uint8Array;
  }

  /** Counts frames arriving within a quiet period. */
  async collectFrames(quietMs: number): Promise<Uint8Array[]> {
    const out: Uint8Array[] = [];
    for (;;) {
      try {
        out.push(await this.nextFrame(quietMs));
      } catch {
        return out;
      }
    }
  }

  async sync(): Promise<Response[]> {
    const payload = new Uint8Array([0x07, 0x07, 0x12, 0x20, ...new Array<number>(32).fill(0x55)]);
    this.discard();
    await this.send(OP.SYNC, payload);
    const replies = await this.collectFrames(100);
    return replies
      .filter((f) => f[0] === 1 && f[1] === OP.SYNC)
      .map((frame) => ({
        op: frame[1],
        value: Buffer.from(frame).readUInt32LE(4),
        body: frame.subarray(8, frame.length - 2),
        status: [frame[frame.length - 2], frame[frame.length - 1]] as [number, number],
      }));
  }

  /** A data-carrying command (MEM_DATA, FLASH_DATA, FLASH_DEFL_DATA). */
  dataCommand(op: number, seq: number, payload: Uint8Array, timeoutMs = 2000): Promise<Response> {
    const data = Buffer.concat([Buffer.from(words(payload.length, seq, 0, 0)), Buffer.from(payload)]);
    return this.command(op, data, checksum(payload), timeoutMs);
  }

  private onData(chunk: Buffer): void {
    for (const b of chunk) {
      this.raw.push(b);
      if (b === 0xc0) {
        if (this.current && this.current.length > 0) this.frames.push(Uint8Array.from(this.current));
        this.current = [];
        this.escaped = false;
        continue;
      }
      if (!this.current) continue;
      if (this.escaped) {
        this.current.push(b === 0xdc ? 0xc0 : b === 0xdd ? 0xdb : b);
        this.escaped = false;
      } else if (b === 0xdb) this.escaped = true;
      else this.current.push(b);
    }
    const waiters = this.waiters.splice(0);
    for (const w of waiters) w();
  }
}
