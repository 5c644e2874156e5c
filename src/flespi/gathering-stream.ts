/**
 * The stream MQTT.js writes to: a Duplex over the TLS socket that gathers the pieces of
 * the packets written in one turn of the event loop into one buffer.
 *
 * mqtt-packet writes every field of a packet with its own `stream.write` (a PUBLISH with
 * one user property takes a dozen) between a `cork()` and an `uncork()` on the next tick.
 * Through Node's Writable each piece costs a buffered-request object and a writev entry,
 * which at tens of thousands of messages a second is a large share of the CPU a message
 * costs. Here a write while corked is an array push; the last uncork joins the pieces and
 * hands them on as one chunk. Writes made while not corked pass straight through.
 */
import { Duplex } from 'stream';

type Chunk = Buffer | string;
type WriteCallback = (error?: Error | null) => void;

export class GatheringStream extends Duplex {
  private readonly pieces: Chunk[] = [];
  /** UTF-16 units for strings, bytes for buffers: an estimate, for back-pressure only. */
  private gatheredLength = 0;
  private corks = 0;
  /** A gathered write returned false: 'drain' is due once the pieces have gone on. */
  private drainOwed = false;

  constructor(private readonly inner: Duplex) {
    super({ decodeStrings: false, allowHalfOpen: false, writableHighWaterMark: inner.writableHighWaterMark });
    inner.on('data', (chunk: Buffer) => {
      if (!this.push(chunk)) inner.pause();
    });
    inner.on('end', () => this.push(null));
    // The socket's own error, code and all, for the client to classify.
    inner.on('error', (error) => this.destroy(error));
    inner.on('close', () => this.destroy());
  }

  override cork(): void {
    this.corks += 1;
  }

  override uncork(): void {
    if (this.corks === 0) return;
    this.corks -= 1;
    if (this.corks === 0) this.passOnGathered();
  }

  override write(chunk: unknown, encoding?: BufferEncoding | WriteCallback, callback?: WriteCallback): boolean {
    const plain = callback === undefined && (encoding === undefined || encoding === 'utf8');
    if (this.corks > 0 && plain && !this.writableEnded && !this.destroyed && (typeof chunk === 'string' || Buffer.isBuffer(chunk))) {
      this.pieces.push(chunk);
      this.gatheredLength += chunk.length;
      if (this.writableLength + this.gatheredLength < this.writableHighWaterMark) return true;
      this.drainOwed = true;
      return false;
    }
    this.passOnGathered();
    return super.write(chunk, encoding as BufferEncoding, callback);
  }

  override end(...args: unknown[]): this {
    this.corks = 0;
    this.passOnGathered();
    return super.end(...(args as Parameters<Duplex['end']>));
  }

  override _read(): void {
    this.inner.resume();
  }

  override _write(chunk: Chunk, encoding: BufferEncoding, callback: WriteCallback): void {
    this.handOn(chunk, encoding, callback);
  }

  override _writev(chunks: Array<{ chunk: Chunk; encoding: BufferEncoding }>, callback: WriteCallback): void {
    this.handOn(joined(chunks.map((entry) => entry.chunk)), undefined, callback);
  }

  override _final(callback: WriteCallback): void {
    this.inner.end(() => callback());
  }

  override _destroy(error: Error | null, callback: WriteCallback): void {
    this.inner.destroy(error ?? undefined);
    callback(error);
  }

  /** The socket takes the chunk; the next one may follow at once unless it is full. */
  private handOn(chunk: Chunk, encoding: BufferEncoding | undefined, callback: WriteCallback): void {
    const accepted = encoding === undefined ? this.inner.write(chunk) : this.inner.write(chunk, encoding);
    if (accepted) callback();
    else this.inner.once('drain', () => callback());
  }

  private passOnGathered(): void {
    if (this.pieces.length === 0) return;
    const chunk = this.pieces.length === 1 ? this.pieces[0] : joined(this.pieces);
    this.pieces.length = 0;
    this.gatheredLength = 0;
    const belowMark = super.write(chunk);
    // When the Writable is below its mark it will not emit 'drain' itself.
    if (this.drainOwed) {
      this.drainOwed = false;
      if (belowMark) process.nextTick(() => this.emit('drain'));
    }
  }
}

/** The pieces as one buffer, strings in UTF-8. */
function joined(pieces: readonly Chunk[]): Buffer {
  let bytes = 0;
  for (const piece of pieces) bytes += typeof piece === 'string' ? Buffer.byteLength(piece, 'utf8') : piece.length;
  const buffer = Buffer.allocUnsafe(bytes);
  let at = 0;
  for (const piece of pieces) {
    if (typeof piece === 'string') at += buffer.write(piece, at, 'utf8');
    else at += piece.copy(buffer, at);
  }
  return buffer;
}
