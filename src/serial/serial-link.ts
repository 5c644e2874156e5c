// The part of a serialport stream (`SerialPortStream` from @serialport/stream, or `SerialPort` from
// serialport) that this package relies on. Naming it keeps the adapters testable with small fakes.

export interface ControlSignals {
  dtr: boolean;
  rts: boolean;
  brk?: boolean;
}

export interface SerialLink {
  readonly path: string;
  readonly isOpen: boolean;
  open(callback: (error: Error | null) => void): void;
  close(callback?: (error: Error | null) => void): void;
  write(data: Buffer, callback?: (error: Error | null | undefined) => void): boolean;
  drain(callback: (error: Error | null) => void): void;
  set(signals: ControlSignals, callback: (error: Error | null) => void): void;
  update(options: { baudRate: number }, callback: (error: Error | null) => void): void;
  on(event: 'data', listener: (chunk: Buffer) => void): this;
  on(event: 'close', listener: (error?: Error | null) => void): this;
  on(event: 'error', listener: (error: Error) => void): this;
  removeListener(event: 'data', listener: (chunk: Buffer) => void): this;
  removeListener(event: 'close', listener: (error?: Error | null) => void): this;
  removeListener(event: 'error', listener: (error: Error) => void): this;
}

/** Opens (or rejects with the open error) a link created with autoOpen off. */
export function openLink(link: SerialLink): Promise<void> {
  return new Promise((resolve, reject) => link.open((error) => (error ? reject(error) : resolve())));
}

export function closeLink(link: SerialLink): Promise<void> {
  if (!link.isOpen) return Promise.resolve();
  // A port that vanished may fail to close; it is closed for our purposes either way.
  return new Promise((resolve) => link.close(() => resolve()));
}

export function setLinkSignals(link: SerialLink, signals: ControlSignals): Promise<void> {
  return new Promise((resolve, reject) => link.set(signals, (error) => (error ? reject(error) : resolve())));
}

export function updateLinkBaud(link: SerialLink, baudRate: number): Promise<void> {
  return new Promise((resolve, reject) => link.update({ baudRate }, (error) => (error ? reject(error) : resolve())));
}

export function writeLink(link: SerialLink, data: Uint8Array): Promise<void> {
  return new Promise((resolve, reject) => {
    link.write(Buffer.from(data.buffer, data.byteOffset, data.byteLength), (error) => {
      if (error) reject(error);
    });
    link.drain((error) => (error ? reject(error) : resolve()));
  });
}
