// esptool-js's Transport fitted to Node and to this package's Web-Serial-like adapter: tracing goes
// to a logger (Transport logs to console.log unconditionally), a read fails at once when the port goes
// away, and a waiting read wakes when bytes arrive instead of polling.
import type { Transport as TransportType } from 'esptool-js' with { 'resolution-mode': 'import' };
import type { WebSerialAdapter } from '../serial/web-serial-adapter';
import type { EsptoolModule, Logger } from './esptool';

export function createTransport(esptool: EsptoolModule, adapter: WebSerialAdapter, log: Logger): TransportType {
  // Resolves never; rejects as soon as the port goes away, so a read waiting for a reply fails at once
  // instead of after esptool-js's per-command timeout.
  const portLost = new Promise<never>((_resolve, reject) => adapter.onLost(reject));
  portLost.catch(() => undefined);

  class LoggingTransport extends esptool.Transport {
    private readonly dataWaiters = new Set<() => void>();

    constructor(device: SerialPort, tracing: boolean) {
      super(device, tracing);
      // Transport.read polls its buffer every 1 ms while it waits, so each reply costs up to a poll
      // period more than the wire takes: per 16 KiB block, per register read. The read loop assigns the
      // buffer whenever bytes arrive; seeing that assignment wakes a waiting read at once. (Could go
      // upstream as a notification from readLoop instead of the sleep(1) loop.)
      let buffer: Uint8Array = this.peek();
      Object.defineProperty(this, 'buffer', {
        get: () => buffer,
        set: (bytes: Uint8Array) => {
          buffer = bytes;
          if (bytes.length > 0) this.wakeReaders();
        },
      });
    }

    override trace(message: string): void {
      log(message);
    }

    override async read(timeout: number): Promise<Uint8Array> {
      if (adapter.lostError) throw adapter.lostError;
      const waited = await this.dataOrTimeout(timeout);
      const reply = super.read(Math.max(1, timeout - waited));
      // The abandoned read still ends with its timeout error; nobody waits for it any more.
      reply.catch(() => undefined);
      return Promise.race([reply, portLost]);
    }

    /** Resolves, with the milliseconds waited, once the buffer holds bytes, the timeout passed or the port went away. */
    private dataOrTimeout(timeout: number): Promise<number> {
      if (this.inWaiting() > 0) return Promise.resolve(0);
      const started = Date.now();
      return new Promise((resolve) => {
        const done = () => {
          clearTimeout(timer);
          this.dataWaiters.delete(done);
          stopLost();
          resolve(Date.now() - started);
        };
        const timer = setTimeout(done, timeout);
        const stopLost = adapter.onLost(done);
        this.dataWaiters.add(done);
      });
    }

    private wakeReaders(): void {
      for (const wake of [...this.dataWaiters]) wake();
    }
  }

  return new LoggingTransport(adapter as unknown as SerialPort, false);
}
