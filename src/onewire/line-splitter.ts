/**
 * Splits a serial byte stream into lines with a hard bound on memory: a line that grows past `maxBytes`
 * without a newline is dropped (its remainder too, up to the next newline) and reported once.
 */
export class LineSplitter {
  private pending: number[] = [];
  private discarding = false;

  constructor(
    private readonly maxBytes: number,
    private readonly onLine: (line: string) => void,
    private readonly onOverflow: (excerpt: string) => void = () => undefined,
  ) {}

  push(bytes: Uint8Array): void {
    for (const byte of bytes) {
      if (byte === 0x0a) {
        if (!this.discarding) this.onLine(Buffer.from(this.pending).toString('latin1'));
        this.pending = [];
        this.discarding = false;
        continue;
      }
      if (this.discarding) continue;
      this.pending.push(byte);
      if (this.pending.length >= this.maxBytes) {
        this.onOverflow(Buffer.from(this.pending.slice(0, 60)).toString('latin1'));
        this.pending = [];
        this.discarding = true;
      }
    }
  }

  /** Forgets a partial line (after a reset, a flash or a replug the board starts afresh). */
  reset(): void {
    this.pending = [];
    this.discarding = false;
  }
}
