import { constants, promises as fs } from 'fs';
import * as path from 'path';
import { ResolutionReport } from './resolution-report';
import { GateOutcome, W1Gate, w1Gate } from './w1-gate';

export interface W1ResolutionOptions {
  /** Bounds the writes in flight together with the reads; the process-wide one unless a test brings its own. */
  gate?: W1Gate;
  /** How long one write may take: the driver runs a conversion for it, and a wedged bus master never returns. */
  timeoutMs?: number;
}

const DEFAULT_WRITE_TIMEOUT_MS = 5000;

/**
 * Sets the resolution of w1 thermometers through the kernel's `resolution` attribute
 * (Documentation/ABI/testing/sysfs-driver-w1_therm: write 9..12; device RAM only, never the EEPROM,
 * whose write cycles are limited). Kernels before 5.10 have no such attribute, and it belongs to root
 * unless udev says otherwise; those sensors keep their resolution and are reported once. The DS18S20
 * (family 10h) has none to set and is left alone. A write holds a thread of libuv's pool as long as the
 * kernel takes, as a read does, so writes go through the same W1Gate as reads.
 */
export class W1Resolution {
  private readonly done = new Set<string>();
  private readonly gate: W1Gate;
  private readonly timeoutMs: number;

  constructor(
    private readonly root: string,
    readonly bits: number,
    options: W1ResolutionOptions = {},
  ) {
    this.gate = options.gate ?? w1Gate;
    this.timeoutMs = options.timeoutMs ?? DEFAULT_WRITE_TIMEOUT_MS;
  }

  /** Writes the resolution of the sensors not handled yet; a report for those it could not set. */
  async apply(idents: string[]): Promise<ResolutionReport | undefined> {
    const fresh = idents.filter((ident) => !this.done.has(ident) && !ident.startsWith('10-'));
    for (const ident of fresh) this.done.add(ident);
    const refused: Array<{ ident: string; reason: string }> = [];
    const unanswered: Array<{ ident: string; reason: string }> = [];
    await Promise.all(
      fresh.map(async (ident) => {
        const file = path.join(this.root, ident, 'resolution');
        const outcome = await this.gate.run(file, () => this.write(file), this.timeoutMs);
        const result = this.fromGate(outcome);
        if (result?.answered === false) {
          // Tried again on a later call: the gate skips it, without a thread, until the kernel returns.
          this.done.delete(ident);
          unanswered.push({ ident, reason: result.reason });
        } else if (result) refused.push({ ident, reason: result.reason });
      }),
    );
    // Sensors the kernel did not answer for are the more urgent news; the others are said on a later call.
    if (unanswered.length > 0) return this.report('failed', unanswered);
    if (refused.length > 0) return this.report('not-writable', refused);
    return undefined;
  }

  private report(kind: ResolutionReport['kind'], sensors: Array<{ ident: string; reason: string }>): ResolutionReport {
    sensors.sort((a, b) => a.ident.localeCompare(b.ident));
    const detail = sensors.map((r) => `${r.ident}: ${r.reason}`).join('; ');
    return { kind, bits: this.bits, idents: sensors.map((r) => r.ident), detail };
  }

  /** Undefined when written; otherwise why not, and whether the kernel answered at all. */
  private fromGate(outcome: GateOutcome<string | undefined>): { reason: string; answered: boolean } | undefined {
    switch (outcome.kind) {
      case 'done':
        return outcome.value === undefined ? undefined : { reason: outcome.value, answered: true };
      case 'failed':
        return { reason: `the kernel refused the resolution (${(outcome.error as Error).message})`, answered: true };
      case 'timeout':
        return { reason: `no answer from the kernel within ${this.timeoutMs} ms`, answered: false };
      case 'stuck':
        return { reason: 'an earlier write has not returned from the kernel', answered: false };
      case 'blocked':
        return {
          reason: `${outcome.stuckReads} w1 reads or writes have not returned from the kernel (a wedged bus master?)`,
          answered: false,
        };
    }
  }

  /** Undefined when written; otherwise why not. */
  private async write(file: string): Promise<string | undefined> {
    try {
      const info = await fs.stat(file);
      // A FIFO or a device would block or do something else entirely. O_TRUNC as a shell's `echo 9 >` does.
      if (!info.isFile()) return 'the resolution attribute is not a regular file';
      const handle = await fs.open(file, constants.O_WRONLY | constants.O_TRUNC | constants.O_NONBLOCK);
      try {
        await handle.write(`${this.bits}\n`, 0);
      } finally {
        await handle.close();
      }
      return undefined;
    } catch (err) {
      const code = (err as NodeJS.ErrnoException).code;
      if (code === 'ENOENT') return 'this kernel has no resolution attribute (Linux 5.10 or later has one)';
      if (code === 'EACCES' || code === 'EPERM' || code === 'EROFS') {
        return 'the resolution attribute is read-only for this user (a udev rule can let Node-RED write it)';
      }
      return `the kernel refused the resolution (${code ?? (err as Error).message})`;
    }
  }
}
