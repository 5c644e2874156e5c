// A Web-Serial-like port over a serialport stream, the shape esptool-js's Transport expects
// (`open`, persistent `readable`/`writable` streams, `setSignals`, `setBaudRate`, `getInfo`, `close`).
import { ControlSignals, SerialLink, closeLink, openLink, setLinkSignals, updateLinkBaud, writeLink } from './serial-link';

export interface WebSerialSignals {
  dataTerminalReady?: boolean;
  requestToSend?: boolean;
  break?: boolean;
}

export interface UsbIds {
  usbVendorId?: number;
  usbProductId?: number;
}

/** Creates a link that is not open yet, at the given baud rate. */
export type SerialLinkFactory = (baudRate: number) => SerialLink;

export class PortLostError extends Error {
  override name = 'PortLostError';
}

export class WebSerialAdapter {
  readable: ReadableStream<Uint8Array> | null = null;
  writable: WritableStream<Uint8Array> | null = null;
  /** Set when the port closed or failed while open without `close()` being called. */
  lostError: Error | undefined;
  /** True once open() succeeded: failures before that are failures to open the port. */
  hasOpened = false;
  private link: SerialLink | undefined;
  // Web Serial changes only the lines named in a call; serialport's set() resets the lines it is
  // not given to asserted, so both lines are tracked and always sent together.
  private signals: ControlSignals = { dtr: false, rts: false };
  private closing = false;
  private readonly lostListeners = new Set<(error: Error) => void>();

  constructor(
    private readonly createLink: SerialLinkFactory,
    private readonly usbIds: UsbIds = {},
  ) {}

  get path(): string | undefined {
    return this.link?.path;
  }

  get isOpen(): boolean {
    return this.link?.isOpen === true;
  }

  /** Called once when the port goes away while open (unplug, I/O error). */
  onLost(listener: (error: Error) => void): () => void {
    this.lostListeners.add(listener);
    return () => this.lostListeners.delete(listener);
  }

  async open(options: { baudRate?: number } = {}): Promise<void> {
    if (this.link?.isOpen) throw new Error('the port is already open');
    const link = this.createLink(options.baudRate ?? 115200);
    await openLink(link);
    // serialport emits 'error' as well as 'close' when a port vanishes; unheard, it would crash the process.
    link.on('error', (error) => this.markLost(new PortLostError(`the serial port ${link.path} failed: ${error.message}`)));
    this.link = link;
    this.hasOpened = true;
    this.closing = false;
    this.lostError = undefined;
    this.readable = this.createReadable(link);
    this.writable = this.createWritable(link);
  }

  async setSignals(signals: WebSerialSignals): Promise<void> {
    const link = this.requireOpen();
    if (signals.dataTerminalReady !== undefined) this.signals.dtr = signals.dataTerminalReady;
    if (signals.requestToSend !== undefined) this.signals.rts = signals.requestToSend;
    await setLinkSignals(link, { dtr: this.signals.dtr, rts: this.signals.rts, brk: signals.break ?? false });
  }

  /** The last DTR/RTS values sent (true = asserted). */
  get controlSignals(): Readonly<ControlSignals> {
    return { ...this.signals };
  }

  async setBaudRate(baudRate: number): Promise<void> {
    await updateLinkBaud(this.requireOpen(), baudRate);
  }

  getInfo(): UsbIds {
    return { ...this.usbIds };
  }

  async close(): Promise<void> {
    const link = this.link;
    this.closing = true;
    this.readable = null;
    this.writable = null;
    this.link = undefined;
    if (link) await closeLink(link);
  }

  private requireOpen(): SerialLink {
    if (!this.link?.isOpen) throw this.lostError ?? new Error('the port is not open');
    return this.link;
  }

  private markLost(error: Error): void {
    if (this.closing || this.lostError) return;
    this.lostError = error;
    for (const listener of this.lostListeners) listener(error);
  }

  private createReadable(link: SerialLink): ReadableStream<Uint8Array> {
    return new ReadableStream<Uint8Array>({
      start: (controller) => {
        const onData = (chunk: Buffer) => controller.enqueue(new Uint8Array(chunk));
        const finish = (error?: Error | null) => {
          link.removeListener('data', onData);
          link.removeListener('close', finish);
          link.removeListener('error', finish);
          if (this.closing) {
            try {
              controller.close();
            } catch {
              /* already closed or cancelled */
            }
            return;
          }
          const lost = new PortLostError(`the serial port ${link.path} was lost${error ? `: ${error.message}` : ''}`);
          this.markLost(lost);
          try {
            controller.error(lost);
          } catch {
            /* already closed or cancelled */
          }
        };
        link.on('data', onData);
        link.on('close', finish);
        link.on('error', finish);
      },
    });
  }

  private createWritable(link: SerialLink): WritableStream<Uint8Array> {
    return new WritableStream<Uint8Array>({
      write: async (chunk) => {
        if (!link.isOpen) throw this.lostError ?? new PortLostError(`the serial port ${link.path} is closed`);
        await writeLink(link, chunk);
      },
    });
  }
}
