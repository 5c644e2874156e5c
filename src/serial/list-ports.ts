// Lists serial ports for the editor's search button. serialport's own list() runs udevadm, which
// minimal containers and some NAS systems lack, so Linux sysfs is read directly when it fails.
import { promises as fs } from 'node:fs';
import path from 'node:path';

export interface SerialPortEntry {
  path: string;
  /** A name under /dev/serial/by-id that survives replugging, when udev made one. */
  stablePath?: string;
  manufacturer?: string;
  product?: string;
  serialNumber?: string;
  vendorId?: string;
  productId?: string;
  virtual?: boolean;
}

/** A port as serialport's list() (and bindings' list()) describes it. */
export interface ListedPort {
  path: string;
  manufacturer?: string;
  serialNumber?: string;
  vendorId?: string;
  productId?: string;
  pnpId?: string;
}

export interface PortListSources {
  /** serialport's native listing; may reject (e.g. udevadm missing). */
  native?: () => Promise<ListedPort[]>;
  /** Virtual boards of this process. */
  virtual?: () => Promise<ListedPort[]>;
  /** Root of the sysfs and /dev trees (tests point it at a fake tree). */
  fsRoot?: string;
}

const MAX_PORTS = 256;

async function readTrimmed(file: string): Promise<string | undefined> {
  try {
    const text = (await fs.readFile(file, 'utf8')).trim();
    return text === '' ? undefined : text.slice(0, 200);
  } catch {
    return undefined;
  }
}

/** Maps each real tty path (/dev/ttyUSB0) to its /dev/serial/by-id alias. */
async function stableNames(fsRoot: string): Promise<Map<string, string>> {
  const byIdDir = path.join(fsRoot, 'dev/serial/by-id');
  const names = new Map<string, string>();
  let entries: string[];
  try {
    entries = await fs.readdir(byIdDir);
  } catch {
    return names;
  }
  for (const entry of entries.slice(0, MAX_PORTS)) {
    try {
      const target = await fs.readlink(path.join(byIdDir, entry));
      const device = path.basename(target);
      names.set(`/dev/${device}`, `/dev/serial/by-id/${entry}`);
    } catch {
      // not a symlink: skip it
    }
  }
  return names;
}

/** Walks up from a tty's device directory to the USB device that has idVendor/idProduct. */
async function usbDescription(deviceDir: string, sysRoot: string): Promise<Partial<SerialPortEntry>> {
  let dir = deviceDir;
  for (let depth = 0; depth < 6 && dir.startsWith(sysRoot) && dir !== sysRoot; depth += 1) {
    const vendorId = await readTrimmed(path.join(dir, 'idVendor'));
    if (vendorId) {
      return {
        vendorId,
        productId: await readTrimmed(path.join(dir, 'idProduct')),
        manufacturer: await readTrimmed(path.join(dir, 'manufacturer')),
        product: await readTrimmed(path.join(dir, 'product')),
        serialNumber: await readTrimmed(path.join(dir, 'serial')),
      };
    }
    dir = path.dirname(dir);
  }
  return {};
}

/** Ports with a backing device under /sys/class/tty (virtual consoles and ptys have none). */
export async function listFromSysfs(fsRoot = '/'): Promise<SerialPortEntry[]> {
  const sysRoot = path.join(fsRoot, 'sys');
  const classDir = path.join(sysRoot, 'class/tty');
  let names: string[];
  try {
    names = await fs.readdir(classDir);
  } catch {
    return [];
  }
  const found: SerialPortEntry[] = [];
  for (const name of names.sort()) {
    if (found.length >= MAX_PORTS) break;
    let deviceDir: string;
    try {
      deviceDir = await fs.realpath(path.join(classDir, name, 'device'));
    } catch {
      continue;
    }
    const usb = await usbDescription(deviceDir, sysRoot);
    // Built-in 8250 UARTs are listed for every possible port whether wired or not; keep only USB ones.
    if (!usb.vendorId && name.startsWith('ttyS')) continue;
    found.push({ path: `/dev/${name}`, ...usb });
  }
  return found;
}

function fromListed(port: ListedPort): SerialPortEntry {
  return {
    path: port.path,
    manufacturer: port.manufacturer,
    serialNumber: port.serialNumber,
    vendorId: port.vendorId?.toLowerCase(),
    productId: port.productId?.toLowerCase(),
  };
}

/** Real and virtual ports, real ones with their stable by-id names when udev made them. */
export async function listSerialPorts(sources: PortListSources = {}): Promise<SerialPortEntry[]> {
  const fsRoot = sources.fsRoot ?? '/';
  let real: SerialPortEntry[] | undefined;
  if (sources.native) {
    try {
      real = (await sources.native()).map(fromListed);
    } catch {
      real = undefined;
    }
  }
  if (!real) real = await listFromSysfs(fsRoot);
  const aliases = await stableNames(fsRoot);
  for (const entry of real) {
    const stablePath = aliases.get(entry.path);
    if (stablePath) entry.stablePath = stablePath;
  }
  const virtual = sources.virtual ? (await sources.virtual()).map((port) => ({ ...fromListed(port), virtual: true })) : [];
  return [...real, ...virtual].slice(0, MAX_PORTS);
}
