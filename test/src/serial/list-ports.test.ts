import assert from 'node:assert/strict';
import { promises as fs } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { listFromSysfs, listSerialPorts } from '../../../src/serial/list-ports';

// A fake root with the Linux layout: /sys/class/tty/<name>/device -> /sys/devices/... and
// /dev/serial/by-id/<name> -> ../../ttyUSB0.
async function buildFakeRoot(): Promise<string> {
  const root = await fs.mkdtemp(path.join(os.tmpdir(), 'ports-'));
  const usbDevice = path.join(root, 'sys/devices/pci0000:00/usb1/1-1');
  const usbInterface = path.join(usbDevice, '1-1:1.0/ttyUSB0');
  await fs.mkdir(usbInterface, { recursive: true });
  await fs.writeFile(path.join(usbDevice, 'idVendor'), '1a86\n');
  await fs.writeFile(path.join(usbDevice, 'idProduct'), '7523\n');
  await fs.writeFile(path.join(usbDevice, 'product'), 'USB Serial\n');
  await fs.writeFile(path.join(usbDevice, 'manufacturer'), 'QinHeng Electronics\n');
  const platformUart = path.join(root, 'sys/devices/platform/serial8250/tty/ttyS0');
  await fs.mkdir(platformUart, { recursive: true });
  const classDir = path.join(root, 'sys/class/tty');
  for (const name of ['ttyUSB0', 'ttyS0', 'tty1']) await fs.mkdir(path.join(classDir, name), { recursive: true });
  await fs.symlink(usbInterface, path.join(classDir, 'ttyUSB0/device'));
  await fs.symlink(platformUart, path.join(classDir, 'ttyS0/device'));
  const byId = path.join(root, 'dev/serial/by-id');
  await fs.mkdir(byId, { recursive: true });
  await fs.symlink('../../ttyUSB0', path.join(byId, 'usb-1a86_USB_Serial-if00-port0'));
  return root;
}

describe('serial port listing', () => {
  let root: string;
  before(async () => {
    root = await buildFakeRoot();
  });
  after(async () => {
    await fs.rm(root, { recursive: true, force: true });
  });

  it('reads USB ports from sysfs and skips built-in UARTs and consoles', async () => {
    const ports = await listFromSysfs(root);
    assert.deepEqual(ports, [
      {
        path: '/dev/ttyUSB0',
        vendorId: '1a86',
        productId: '7523',
        manufacturer: 'QinHeng Electronics',
        product: 'USB Serial',
        serialNumber: undefined,
      },
    ]);
  });

  it('falls back to sysfs when the native listing fails (udevadm missing) and adds by-id names', async () => {
    const ports = await listSerialPorts({
      fsRoot: root,
      native: () => Promise.reject(new Error('spawn udevadm ENOENT')),
      virtual: async () => [{ path: 'sim:kitchen', manufacturer: 'virtual ESP8266' }],
    });
    assert.deepEqual(
      ports.map((p) => [p.path, p.stablePath, p.virtual]),
      [
        ['/dev/ttyUSB0', '/dev/serial/by-id/usb-1a86_USB_Serial-if00-port0', undefined],
        ['sim:kitchen', undefined, true],
      ],
    );
  });

  it('uses the native listing when it works', async () => {
    const ports = await listSerialPorts({
      fsRoot: root,
      native: async () => [{ path: '/dev/ttyUSB0', vendorId: '1A86', productId: '7523', serialNumber: 'A1' }],
    });
    assert.equal(ports.length, 1);
    assert.equal(ports[0].vendorId, '1a86');
    assert.equal(ports[0].serialNumber, 'A1');
    assert.equal(ports[0].stablePath, '/dev/serial/by-id/usb-1a86_USB_Serial-if00-port0');
  });

  it('returns an empty list on a system without sysfs', async () => {
    assert.deepEqual(await listSerialPorts({ fsRoot: path.join(root, 'missing') }), []);
  });
});
