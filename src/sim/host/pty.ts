// Puts a virtual board behind a real tty: socat creates a pseudo-terminal pair, the board drives one
// end through serialport's native binding, and any serial tool opens the other end. A pty has no
// modem-control lines, so the board cannot be reset by DTR/RTS: unless told to run its firmware it
// waits in the ROM loader, as a board does when its FLASH button is held during reset.
// A pty carries no line rate either, but it keeps the termios a tool sets on it, rate included: the
// board reads the host end's rate (host-rate.ts) and its wire treats bytes as a UART does.
import { spawn, type ChildProcess } from 'node:child_process';
import { SerialPort } from 'serialport';
import type { BoardConnection, VirtualBoard } from '../board/board';
import { type HostRate, watchHostRate } from './host-rate';

export const SOCAT_INSTALL_HINT = 'socat is not installed: apt-get install socat';
const PTY_LINE = /PTY is (\S+)/g;
const STARTUP_TIMEOUT_MS = 5000;

export interface PtyPair {
  /** The end the board drives. */
  boardPath: string;
  /** The end for serial tools (the symlink when one was requested). */
  hostPath: string;
  /** The end for serial tools, as the kernel names it. */
  hostDevice: string;
  /** Resolves when socat ends (killed, or stopped on its own): the ttys are gone. */
  ended: Promise<void>;
  close(): Promise<void>;
}

/** Starts socat with two raw pseudo-terminals; `hostLink` makes the host end reachable under a fixed name. */
export function openPtyPair(hostLink?: string): Promise<PtyPair> {
  const hostAddress = `pty,raw,echo=0${hostLink ? `,link=${hostLink}` : ''}`;
  const child = spawn('socat', ['-d', '-d', 'pty,raw,echo=0', hostAddress], { stdio: ['ignore', 'ignore', 'pipe'] });
  return new Promise((resolve, reject) => {
    let log = '';
    const paths: string[] = [];
    const fail = (error: Error): void => {
      clearTimeout(timer);
      child.kill();
      reject(error);
    };
    const timer = setTimeout(
      () => fail(new Error(`socat did not create a pty pair within ${STARTUP_TIMEOUT_MS} ms: ${log.trim()}`)),
      STARTUP_TIMEOUT_MS,
    );
    child.once('error', (error: NodeJS.ErrnoException) => fail(error.code === 'ENOENT' ? new Error(SOCAT_INSTALL_HINT) : error));
    child.once('exit', (code) => fail(new Error(`socat exited (${code}) before the pty pair was ready: ${log.trim()}`)));
    child.stderr?.setEncoding('utf8');
    let ready = false;
    child.stderr?.on('data', (text: string) => {
      // socat keeps logging (notably when it exits); only its start-up lines matter here.
      if (ready) return;
      if (log.length < 16_384) log += text;
      for (const match of text.matchAll(PTY_LINE)) paths.push(match[1]);
      if (paths.length < 2 || !/starting data transfer loop/.test(log)) return;
      ready = true;
      clearTimeout(timer);
      child.removeAllListeners('exit');
      child.removeAllListeners('error');
      const ended = new Promise<void>((done) => child.once('exit', () => done()));
      resolve({ boardPath: paths[0], hostPath: hostLink ?? paths[1], hostDevice: paths[1], ended, close: () => stopChild(child) });
    });
  });
}

function stopChild(child: ChildProcess): Promise<void> {
  if (child.exitCode !== null || child.signalCode !== null) return Promise.resolve();
  return new Promise((resolve) => {
    child.once('exit', () => resolve());
    child.kill('SIGTERM');
  });
}

export interface PtyAttachment {
  hostPath: string;
  /** Resolves if the pseudo-terminal pair goes away without close() being called. */
  ended: Promise<void>;
  close(): Promise<void>;
}

export interface PtyOptions {
  /** Also make the host end reachable under this path (a symlink socat maintains). */
  hostLink?: string;
  /** What the board does before the tty is attached: wait in the ROM loader (default) or run its flash. */
  boot?: 'download' | 'flash';
}

/** Connects the board to a fresh pty pair, after resetting it into the ROM loader (or its firmware). */
export async function attachBoardToPty(board: VirtualBoard, options: PtyOptions = {}): Promise<PtyAttachment> {
  const pair = await openPtyPair(options.hostLink);
  const port = new SerialPort({ path: pair.boardPath, baudRate: 115200, autoOpen: false });
  let hostRate: HostRate;
  try {
    await new Promise<void>((resolve, reject) => port.open((error) => (error ? reject(error) : resolve())));
    hostRate = await watchHostRate(pair.hostDevice);
  } catch (error) {
    if (port.isOpen) await new Promise<void>((resolve) => port.close(() => resolve()));
    await pair.close();
    throw error;
  }
  // By default the board waits in its ROM loader before any tool opens the tty, as a board powered up
  // with FLASH held would. Its boot output goes out while nothing is attached (a USB-UART that nobody
  // has open drops it), so no stale text waits in the pty for the first client.
  board.pressReset(options.boot !== 'flash');
  await board.transmitIdle();
  let connection: BoardConnection | undefined;
  connection = board.connect({
    get baud() {
      return hostRate.rate;
    },
    receive: (bytes) => {
      if (port.isOpen) port.write(Buffer.from(bytes));
    },
    lost: () => {
      connection = undefined;
    },
  });
  // A tool sets its rate before it writes at that rate, so reading the rate as its bytes arrive (in
  // order) gives each chunk the rate it was sent at.
  let arriving = Promise.resolve();
  port.on('data', (chunk: Buffer) => {
    arriving = arriving
      .then(() => hostRate.refresh())
      .then(() => {
        void connection?.write(new Uint8Array(chunk)).catch(() => undefined);
      });
  });
  return {
    hostPath: pair.hostPath,
    ended: pair.ended,
    close: async () => {
      connection?.disconnect();
      connection = undefined;
      await hostRate.close();
      if (port.isOpen) await new Promise<void>((resolve) => port.close(() => resolve()));
      await pair.close();
    },
  };
}
