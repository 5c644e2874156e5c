// What a firmware image does once the virtual board has booted it from flash. The board only knows
// applications through this contract; each kind recognises its own image.
import type { FlashReader } from './nor-flash';

export interface ApplicationHost {
  /** Sends bytes out of UART0 at the application's baud rate (paced like real serial). */
  transmit(bytes: Uint8Array): void;
  readonly flash: FlashReader;
  /** Milliseconds on a monotonic clock. */
  now(): number;
}

export interface BoardApplication {
  /** Bytes the host sent, as the UART sampled them (garbled if the host uses another baud rate). */
  receive(bytes: Uint8Array): void;
  /** Reset, power loss or a new boot: release timers and state. */
  stop(): void;
}

export interface ApplicationKind {
  name: string;
  /** True when this kind runs the given v1 image (read from flash offset 0, header to checksum byte). */
  matches(image: Uint8Array): boolean;
  start(host: ApplicationHost): BoardApplication;
  /** UART0 rate the application uses. */
  baud: number;
}
