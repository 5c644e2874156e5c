import { promises as fs, mkdtempSync } from 'fs';
import * as os from 'os';
import * as path from 'path';
import { crc8 } from '../../../src/onewire/crc8';

/**
 * A temporary folder laid out like /sys/bus/w1/devices, with files in the exact text formats of the
 * kernel's w1_therm driver, so the reader can be tested without a Raspberry Pi.
 */
export class FakeW1Tree {
  constructor(readonly root: string) {}

  static async create(): Promise<FakeW1Tree> {
    const tmp = mkdtempSync(path.join(os.tmpdir(), 'w1-'));
    const tree = new FakeW1Tree(path.join(tmp, 'devices'));
    await fs.mkdir(tree.root, { recursive: true });
    return tree;
  }

  async remove(): Promise<void> {
    await fs.rm(path.dirname(this.root), { recursive: true, force: true });
  }

  async addMaster(n: number, slaves: string[]): Promise<void> {
    const dir = path.join(this.root, `w1_bus_master${n}`);
    await fs.mkdir(dir, { recursive: true });
    await fs.writeFile(path.join(dir, 'w1_master_slaves'), slaves.length ? slaves.join('\n') + '\n' : 'not found.\n');
  }

  async addSensor(
    ident: string,
    millidegrees: number,
    options: { resolution?: number; extPower?: number; crcFails?: boolean; powerOn?: boolean; allOnes?: boolean } = {},
  ): Promise<void> {
    const raw = Math.round((millidegrees * 16) / 1000) & 0xffff;
    const body = [raw & 0xff, raw >> 8, 0x4b, 0x46, 0x7f, 0xff, options.powerOn ? 0x0c : 0x10, 0x10];
    let bytes = [...body, crc8(body)];
    if (options.crcFails) bytes[8] ^= 0xff;
    if (options.allOnes) bytes = new Array(9).fill(0xff);
    const crcOk = crc8(bytes.slice(0, 8)) === bytes[8];
    const hex = bytes.map((b) => b.toString(16).padStart(2, '0')).join(' ') + ' ';
    const t = options.allOnes ? -62 : millidegrees;
    await this.writeRaw(ident, 'w1_slave', `${hex}: crc=${hex.slice(24, 26)} ${crcOk ? 'YES' : 'NO'}\n${hex}t=${t}\n`);
    await this.writeRaw(ident, 'temperature', `${t}\n`);
    if (options.resolution !== undefined) await this.writeRaw(ident, 'resolution', `${options.resolution}\n`);
    if (options.extPower !== undefined) await this.writeRaw(ident, 'ext_power', `${options.extPower}\n`);
  }

  async writeRaw(ident: string, file: string, text: string): Promise<void> {
    await fs.mkdir(path.join(this.root, ident), { recursive: true });
    await fs.writeFile(path.join(this.root, ident, file), text);
  }
}
