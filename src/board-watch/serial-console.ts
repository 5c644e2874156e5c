// What a board sent over its serial port, as lines a person can read: the bridge's JSON lines as they
// are, other printable text as text, anything else as hex. Bounded: the last 500 lines, each at most
// 128 bytes (text without a newline is cut into pieces of that size, so boot-ROM garbage still shows).
import { parseBridgeLine } from '../onewire/bridge-protocol';

export const CONSOLE_LINES = 500;
export const CONSOLE_LINE_BYTES = 128;

/** Share of bytes outside printable ASCII above which a line is taken for another baud rate's output. */
const GARBLED_SHARE = 0.2;

export type ConsoleEvent = 'paused' | 'resumed' | 'lost' | 'back' | 'flash' | 'flash-done' | 'flash-failed';

export interface ConsoleEntry {
  /** Increases by one per entry over the console's life, so a page can tell what it has already shown. */
  seq: number;
  /** Unix milliseconds. */
  at: number;
  kind: 'protocol' | 'text' | 'hex' | 'event';
  /** The line (latin1 text), its bytes in hex, or for an event its detail (a flash phase, a reason). */
  text: string;
  /** Set on lines that look like the ESP8266 ROM's boot log (74880 baud) read at 115200 baud. */
  bootRom?: true;
  event?: ConsoleEvent;
  percent?: number;
}

function isPrintable(byte: number): boolean {
  return (byte >= 0x20 && byte < 0x7f) || byte === 0x09;
}

export class SerialConsole {
  private readonly entries: ConsoleEntry[] = [];
  private pending: number[] = [];
  private nextSeq = 1;
  /** Between a reset (port opened, flash over, board back) and the board's first JSON line. */
  private booting = true;

  constructor(private readonly now: () => number = Date.now) {}

  /** Everything kept, oldest first. */
  get lines(): ConsoleEntry[] {
    return [...this.entries];
  }

  /** The entries after `seq`, oldest first. */
  since(seq: number): ConsoleEntry[] {
    const first = this.entries.findIndex((entry) => entry.seq > seq);
    return first < 0 ? [] : this.entries.slice(first);
  }

  get lastSeq(): number {
    return this.nextSeq - 1;
  }

  receive(bytes: Uint8Array): void {
    for (const byte of bytes) {
      if (byte === 0x0a) {
        this.endLine();
        continue;
      }
      this.pending.push(byte);
      if (this.pending.length >= CONSOLE_LINE_BYTES) this.endLine();
    }
  }

  /** Something happened to the port or the board; a reset follows most of them, and the boot log with it. */
  note(event: ConsoleEvent, text = '', percent?: number): void {
    this.pending = [];
    if (event === 'resumed' || event === 'back' || event === 'flash-done') this.booting = true;
    const entry: ConsoleEntry = { seq: 0, at: this.now(), kind: 'event', text, event };
    if (percent !== undefined) entry.percent = percent;
    this.add(entry);
  }

  /** A fresh connection to the port: what comes first is the boot log of the reset that opening caused. */
  opened(): void {
    this.pending = [];
    this.booting = true;
  }

  private endLine(): void {
    const bytes = Buffer.from(this.pending);
    this.pending = [];
    let end = bytes.length;
    while (end > 0 && bytes[end - 1] === 0x0d) end -= 1;
    if (end === 0) return;
    const line = bytes.subarray(0, end);
    const printable = line.filter(isPrintable).length;
    if (printable === line.length) {
      const text = line.toString('latin1');
      if (text.trimStart().startsWith('{') && parseBridgeLine(text).kind === 'event') {
        this.booting = false;
        this.add({ seq: 0, at: this.now(), kind: 'protocol', text });
        return;
      }
      this.add({ seq: 0, at: this.now(), kind: 'text', text });
      return;
    }
    const entry: ConsoleEntry = { seq: 0, at: this.now(), kind: 'hex', text: line.toString('hex').replace(/(..)(?!$)/g, '$1 ') };
    if (this.booting && (line.length - printable) / line.length > GARBLED_SHARE) entry.bootRom = true;
    this.add(entry);
  }

  private add(entry: ConsoleEntry): void {
    entry.seq = this.nextSeq++;
    this.entries.push(entry);
    if (this.entries.length > CONSOLE_LINES) this.entries.splice(0, this.entries.length - CONSOLE_LINES);
  }
}
