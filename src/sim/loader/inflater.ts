// Incremental zlib inflation for FLASH_DEFL_DATA: each block is a slice of one zlib stream (what
// pako.deflate and Python's zlib.compress produce), so state must carry across blocks.
import { createInflate, constants, type Inflate } from 'node:zlib';

export class StreamingInflater {
  private readonly inflate: Inflate = createInflate();
  private output: Buffer[] = [];
  private failure: Error | undefined;

  constructor() {
    this.inflate.on('data', (chunk: Buffer) => this.output.push(chunk));
    this.inflate.on('error', (error: Error) => {
      this.failure = error;
    });
  }

  /** Feeds compressed bytes; resolves with everything they decompress to. Rejects on corrupt input. */
  async push(compressed: Uint8Array): Promise<Uint8Array> {
    if (this.failure) throw this.failure;
    if (!this.inflate.writableEnded && !this.inflate.destroyed) {
      await new Promise<void>((resolve) => {
        const settle = (): void => {
          this.inflate.off('error', settle);
          resolve();
        };
        this.inflate.once('error', settle);
        this.inflate.write(compressed);
        this.inflate.flush(constants.Z_SYNC_FLUSH, settle);
      });
    }
    const failure = this.failureSoFar();
    if (failure) throw failure;
    const produced = Buffer.concat(this.output);
    this.output = [];
    return new Uint8Array(produced.buffer, produced.byteOffset, produced.byteLength);
  }

  dispose(): void {
    this.inflate.destroy();
  }

  /** Read through a call: a failure may have arrived while this awaited the inflater. */
  private failureSoFar(): Error | undefined {
    return this.failure;
  }
}
