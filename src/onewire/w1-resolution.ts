import { constants, promises as fs } from 'fs';
import * as path from 'path';
import { ResolutionReport } from './resolution-report';

/**
 * Sets the resolution of w1 thermometers through the kernel's `resolution` attribute
 * (Documentation/ABI/testing/sysfs-driver-w1_therm: write 9..12; device RAM only, never the EEPROM,
 * whose write cycles are limited). Kernels before 5.10 have no such attribute, and it belongs to root
 * unless udev says otherwise; those sensors keep their resolution and are reported once. The DS18S20
 * (family 10h) has none to set and is left alone.
 */
export class W1Resolution {
  private readonly done = new Set<string>();

  constructor(private readonly root: string, readonly bits: number) {}

  /** Writes the resolution of the sensors not handled yet; a report for those it could not set. */
  async apply(idents: string[]): Promise<ResolutionReport | undefined> {
    const fresh = idents.filter((ident) => !this.done.has(ident) && !ident.startsWith('10-'));
    for (const ident of fresh) this.done.add(ident);
    const refused: Array<{ ident: string; reason: string }> = [];
    await Promise.all(fresh.map(async (ident) => {
      const reason = await this.write(ident);
      if (reason) refused.push({ ident, reason });
    }));
    if (refused.length === 0) return undefined;
    refused.sort((a, b) => a.ident.localeCompare(b.ident));
    const detail = refused.map((r) => `${r.ident}: ${r.reason}`).join('; ');
    return { kind: 'not-writable', bits: this.bits, idents: refused.map((r) => r.ident), detail };
  }

  /** Undefined when written; otherwise why not. */
  private async write(ident: string): Promise<string | undefined> {
    const file = path.join(this.root, ident, 'resolution');
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
