// The line rate a tool set on the host end of a pseudo-terminal. A pty has no UART, yet it keeps the
// termios a tool sets (pyserial, serialport, stty), rate included, and every descriptor open on the
// tty shares that one termios. So a descriptor of our own on the host end, never read nor written,
// reads the rate: serialport's getBaudRate (TCGETS2, c_ospeed, so rates without a B constant such as
// 74880 come out exact). TIOCGSERIAL does not apply (a pty is no serial driver) and socat has no
// option that passes termios changes on.
import { SerialPort } from 'serialport';

/** The rate the host end holds until a tool sets its own: what a terminal opened without one reads at. */
export const HOST_RATE_AT_START = 115200;
/**
 * Re-reads the rate this often (ms) while no bytes arrive from the host, so the board's output is
 * sampled at the rate of a tool that only listens. Each read is one ioctl on the thread pool.
 */
const POLL_MS = 20;

export interface HostRate {
  /** The rate last read. */
  readonly rate: number;
  /** Reads the rate now. */
  refresh(): Promise<number>;
  close(): Promise<void>;
}

export async function watchHostRate(device: string): Promise<HostRate> {
  // No lock, so a tool's own exclusive lock still succeeds; no hang-up on close, a pty has no lines.
  const port = await SerialPort.binding.open({ path: device, baudRate: HOST_RATE_AT_START, lock: false, hupcl: false });
  let rate = HOST_RATE_AT_START;
  let closed = false;
  const refresh = async (): Promise<number> => {
    if (closed) return rate;
    try {
      rate = (await port.getBaudRate()).baudRate;
    } catch {
      // the pty is going away: the last rate read stands
    }
    return rate;
  };
  const poll = setInterval(() => void refresh(), POLL_MS);
  poll.unref();
  return {
    get rate() {
      return rate;
    },
    refresh,
    close: async () => {
      if (closed) return;
      closed = true;
      clearInterval(poll);
      await port.close().catch(() => undefined);
    },
  };
}
