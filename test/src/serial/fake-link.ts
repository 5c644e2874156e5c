// An in-memory SerialLink that records what the code under test does to it.
import { EventEmitter } from 'node:events';
import { ControlSignals, SerialLink } from '../../../src/serial/serial-link';

export class FakeLink extends EventEmitter implements SerialLink {
  isOpen = false;
  readonly setCalls: ControlSignals[] = [];
  readonly written: Buffer[] = [];
  readonly baudRates: number[] = [];
  failSetWith: Error | undefined;
  failOpenWith: Error | undefined;

  constructor(
    readonly path: string,
    public baudRate: number,
  ) {
    super();
  }

  open(callback: (error: Error | null) => void): void {
    const failure = this.failOpenWith;
    if (!failure) this.isOpen = true;
    setImmediate(() => callback(failure ?? null));
  }

  close(callback?: (error: Error | null) => void): void {
    this.isOpen = false;
    setImmediate(() => {
      this.emit('close');
      callback?.(null);
    });
  }

  write(data: Buffer, callback?: (error: Error | null | undefined) => void): boolean {
    this.written.push(Buffer.from(data));
    setImmediate(() => callback?.(null));
    return true;
  }

  drain(callback: (error: Error | null) => void): void {
    setImmediate(() => callback(null));
  }

  set(signals: ControlSignals, callback: (error: Error | null) => void): void {
    this.setCalls.push({ ...signals });
    setImmediate(() => callback(this.failSetWith ?? null));
  }

  update(options: { baudRate: number }, callback: (error: Error | null) => void): void {
    this.baudRate = options.baudRate;
    this.baudRates.push(options.baudRate);
    setImmediate(() => callback(null));
  }

  /** Simulates bytes arriving from the board. */
  receive(bytes: number[] | Buffer): void {
    this.emit('data', Buffer.from(bytes));
  }

  /** Simulates the port vanishing (USB unplug). */
  vanish(): void {
    this.isOpen = false;
    this.emit('close', Object.assign(new Error('port disconnected'), { disconnected: true }));
  }
}
