import { promises as fs } from 'fs';
import * as path from 'path';
import { SensorOutcome, fail, readingFromMillidegrees, unixSeconds } from './reading';
import { decodeScratchpad } from './scratchpad';
import { IDENT_PATTERN, isThermometerFamily } from './rom';
import { parseIntegerFile, parseMasterSlaves, parseW1Slave } from './w1-format';
import { GateOutcome, W1Gate, w1Gate } from './w1-gate';

/**
 * Reads 1-Wire thermometers through the Linux w1 sysfs tree (/sys/bus/w1/devices on a Raspberry Pi with
 * dtoverlay=w1-gpio). Every read is an async file read: the kernel takes up to 750 ms per conversion,
 * which must never stall Node-RED's event loop. Each read holds a thread of libuv's pool meanwhile, so all
 * of them go through the process's W1Gate (w1-gate.ts), which leaves the pool room for everything else.
 */

export const DEFAULT_W1_ROOT = '/sys/bus/w1/devices';
/** sysfs attributes are a few dozen bytes; anything longer is not what we expect. */
const MAX_ATTRIBUTE_BYTES = 4096;

export interface W1ReaderOptions {
  root?: string;
  now?: () => number;
  /**
   * How long one sensor may take. The kernel needs up to 750 ms per conversion and retries a failed one,
   * but a wedged bus master can block a read for good; that sensor then fails instead of stalling the rest.
   */
  sensorTimeoutMs?: number;
  /** Bounds the reads in flight; the process-wide one unless a test brings its own. */
  gate?: W1Gate;
}

const DEFAULT_SENSOR_TIMEOUT_MS = 5000;

export class W1Reader {
  readonly root: string;
  private readonly now: () => number;
  private readonly sensorTimeoutMs: number;
  private readonly gate: W1Gate;

  constructor(options: W1ReaderOptions = {}) {
    this.root = options.root && options.root.trim() !== '' ? options.root : DEFAULT_W1_ROOT;
    this.now = options.now ?? Date.now;
    this.sensorTimeoutMs = options.sensorTimeoutMs ?? DEFAULT_SENSOR_TIMEOUT_MS;
    this.gate = options.gate ?? w1Gate;
  }

  /**
   * Thermometers on every bus master (w1_bus_master1, 2, ...) plus any thermometer directory in the root,
   * sorted. Throws with a plain explanation when there is no w1 tree at all.
   */
  async listSensors(): Promise<string[]> {
    let entries: string[];
    try {
      entries = await fs.readdir(this.root);
    } catch (err) {
      throw new Error(`no 1-Wire bus at ${this.root} (${errorCode(err)}): enable the w1-gpio overlay or set the w1 path`, { cause: err });
    }
    const found = new Set<string>();
    const masters = entries.filter((e) => e.startsWith('w1_bus_master'));
    // Listing a master's slaves takes its bus lock in the kernel: as slow, and as wedged, as a sensor read.
    const listed = await Promise.all(
      masters.map(async (m) => {
        const file = path.join(this.root, m, 'w1_master_slaves');
        const outcome = await this.gate.run(file, () => this.readAttribute(file), this.sensorTimeoutMs);
        return outcome.kind === 'done' ? outcome.value : '';
      }),
    );
    for (const text of listed) for (const ident of parseMasterSlaves(text)) found.add(ident);
    for (const entry of entries) {
      if (IDENT_PATTERN.test(entry.toLowerCase())) found.add(entry.toLowerCase());
    }
    return [...found].filter((ident) => isThermometerFamily(parseInt(ident.slice(0, 2), 16))).sort();
  }

  /** Reads the given sensors (all listed ones when omitted), as many at once as the gate allows; one outcome per sensor, in order. */
  async readAll(idents?: string[]): Promise<SensorOutcome[]> {
    const list = idents && idents.length > 0 ? idents : await this.listSensors();
    return Promise.all(list.map((ident) => this.read(ident)));
  }

  /**
   * Reads one sensor, or shares the read of it already in flight. Never rejects: every failure becomes an
   * error outcome for that sensor, and a sensor whose earlier read never returned is skipped (`stuck`).
   */
  async read(ident: string): Promise<SensorOutcome> {
    const name = ident.trim().toLowerCase();
    if (!IDENT_PATTERN.test(name)) return fail(ident, 'bad_data', 'not a 1-Wire id like 28-0316a27950ff');
    const outcome = await this.gate.run(path.join(this.root, name), () => this.readFiles(name), this.sensorTimeoutMs);
    return this.fromGate(name, outcome);
  }

  private fromGate(ident: string, outcome: GateOutcome<SensorOutcome>): SensorOutcome {
    switch (outcome.kind) {
      case 'done':
        return outcome.value;
      case 'failed':
        return outcomeForFileError(ident, outcome.error);
      case 'timeout':
        return fail(ident, 'read_failed', `no answer from the kernel within ${this.sensorTimeoutMs} ms`);
      case 'stuck': {
        const seconds = Math.round((this.now() - outcome.sinceMs) / 1000);
        return fail(ident, 'stuck', `skipped: its read started ${seconds} s ago has not returned from the kernel`);
      }
      case 'blocked':
        return fail(ident, 'stuck', `skipped: ${outcome.stuckReads} w1 reads have not returned from the kernel (a wedged bus master?)`);
    }
  }

  /** Overridable for tests that need a read the kernel never finishes. */
  protected readAttribute(file: string): Promise<string> {
    return readAttribute(file);
  }

  /** One after the other: each file is a bus transaction in the kernel, and the sensor has one slot. */
  private async readFiles(name: string): Promise<SensorOutcome> {
    const dir = path.join(this.root, name);
    try {
      const slave = await this.readAttribute(path.join(dir, 'w1_slave')).catch(keepMissing);
      const resolution = await this.readOptionalInteger(path.join(dir, 'resolution'));
      const extPower = await this.readOptionalInteger(path.join(dir, 'ext_power'));
      const timestamp = unixSeconds(this.now());
      const power = extPower === 1 ? 'external' : extPower === 0 ? 'parasite' : undefined;
      if (slave !== null) return this.fromW1Slave(name, slave, { timestamp, resolution, power });
      // Kernels that dropped w1_slave for a device still offer `temperature` (millidegrees only).
      const temperature = await this.readAttribute(path.join(dir, 'temperature'));
      const millidegrees = parseIntegerFile(temperature);
      if (millidegrees === null) return fail(name, 'bad_data', 'temperature file does not hold a number');
      return readingFromMillidegrees(name, millidegrees, { timestamp, resolution: resolution ?? undefined, power });
    } catch (err) {
      return outcomeForFileError(name, err);
    }
  }

  private async readOptionalInteger(file: string): Promise<number | null> {
    try {
      return parseIntegerFile(await this.readAttribute(file));
    } catch {
      return null;
    }
  }

  private fromW1Slave(
    ident: string,
    text: string,
    details: { timestamp: number; resolution: number | null; power?: 'external' | 'parasite' },
  ): SensorOutcome {
    const parsed = parseW1Slave(text);
    if ('error' in parsed) return fail(ident, 'bad_data', parsed.error);
    const decoded = decodeScratchpad(parseInt(ident.slice(0, 2), 16), parsed.scratchpad);
    if (!decoded.ok) return fail(ident, decoded.code, decoded.message);
    if (!parsed.crcOk) return fail(ident, 'crc', 'the kernel reports a CRC error (crc=NO)');
    return readingFromMillidegrees(ident, parsed.millidegrees, {
      timestamp: details.timestamp,
      resolution: details.resolution ?? decoded.resolution,
      power: details.power,
      powerOnPattern: decoded.powerOnPattern,
    });
  }
}

/** Reads a sysfs attribute, refusing anything that is not a small regular file (a FIFO would block). */
async function readAttribute(file: string): Promise<string> {
  const info = await fs.stat(file);
  if (info.isDirectory()) throw Object.assign(new Error(`${file} is a directory`), { code: 'EISDIR' });
  if (!info.isFile()) throw Object.assign(new Error(`${file} is not a regular file`), { code: 'EINVAL' });
  const handle = await fs.open(file, 'r');
  try {
    const buffer = Buffer.alloc(MAX_ATTRIBUTE_BYTES);
    const { bytesRead } = await handle.read(buffer, 0, MAX_ATTRIBUTE_BYTES, 0);
    return buffer.toString('latin1', 0, bytesRead);
  } finally {
    await handle.close();
  }
}

function keepMissing(err: unknown): null {
  if (errorCode(err) === 'ENOENT') return null;
  throw err;
}

function errorCode(err: unknown): string {
  return (err as NodeJS.ErrnoException | undefined)?.code ?? String(err);
}

function outcomeForFileError(ident: string, err: unknown): SensorOutcome {
  switch (errorCode(err)) {
    case 'ENOENT':
      return fail(ident, 'no_device', 'the sensor is gone from the 1-Wire bus');
    case 'EACCES':
    case 'EPERM':
      return fail(ident, 'read_failed', 'permission denied reading the sensor (run Node-RED as a user who may read w1 files)');
    case 'EIO':
      return fail(ident, 'read_failed', 'I/O error: the kernel could not talk to the sensor');
    case 'EISDIR':
    case 'EINVAL':
      return fail(ident, 'read_failed', 'the sensor file is not a readable attribute');
    default:
      return fail(ident, 'read_failed', `read failed: ${(err as Error)?.message ?? String(err)}`);
  }
}
