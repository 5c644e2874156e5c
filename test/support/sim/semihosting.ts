/**
 * The Xtensa ISS semihosting call SIMCALL, as QEMU's `-semihosting` answers it
 * (target/xtensa/xtensa-semi.c): a2 holds the call number, a3..a5 its arguments; the result
 * comes back in a2 and errno in a3. Enough for test programs: exit, read and write.
 */
import type { Cpu } from '../../../src/sim/cpu/cpu';

const SYS_EXIT = 1;
const SYS_READ = 3;
const SYS_WRITE = 4;
const EBADF = 9;
const ENOSYS = 88;

export class Semihosting {
  /** Everything written to fd 1 and 2, in order. */
  readonly output: number[] = [];
  exitCode: number | undefined;
  private input: Uint8Array;

  constructor(input: Uint8Array = new Uint8Array(0)) {
    this.input = input;
  }

  readonly handle = (cpu: Cpu): void => {
    const [call, a, b, c] = [cpu.ar[2], cpu.ar[3], cpu.ar[4], cpu.ar[5] >>> 0];
    let result = -1;
    let errno = 0;
    if (call === SYS_EXIT) {
      this.exitCode = a;
      cpu.stop(`the program exited with status ${a}`);
    } else if (call === SYS_WRITE && (a === 1 || a === 2)) {
      const bytes = cpu.bus.readBytes(b >>> 0, c);
      for (const byte of bytes) this.output.push(byte);
      result = c;
    } else if (call === SYS_READ && a === 0) {
      const n = Math.min(c, this.input.length);
      cpu.bus.writeBytes(b >>> 0, this.input.subarray(0, n));
      this.input = this.input.subarray(n);
      result = n;
    } else {
      errno = call === SYS_READ || call === SYS_WRITE ? EBADF : ENOSYS;
    }
    cpu.ar[2] = result;
    cpu.ar[3] = errno;
  };

  text(): string {
    return Buffer.from(this.output).toString('latin1');
  }
}
