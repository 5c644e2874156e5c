// Opens serial ports by path: `sim:<name>` reaches a virtual board of this process through its
// serialport binding, any other path a real tty through serialport's native binding.
import { SerialPortStream } from '@serialport/stream';
import { SerialPort } from 'serialport';
import { VirtualBinding } from '../sim/binding';
import { isVirtualPortPath } from '../sim/registry';
import { PortListSources, SerialPortEntry, listSerialPorts } from './list-ports';
import { SerialLink, openLink } from './serial-link';

export interface OpenSerialPortOptions {
  path: string;
  baudRate: number;
}

/** A link for `path` that is not open yet (open it with openLink, or use openSerialPort). */
export function createSerialLink(path: string, baudRate: number): SerialLink {
  if (isVirtualPortPath(path)) {
    return new SerialPortStream({ binding: VirtualBinding, path, baudRate, autoOpen: false });
  }
  // hupcl off: closing the port must not drop DTR/RTS, which would reset the board.
  return new SerialPort({ path, baudRate, autoOpen: false, hupcl: false });
}

export async function openSerialPort(options: OpenSerialPortOptions): Promise<SerialLink> {
  const link = createSerialLink(options.path, options.baudRate);
  await openLink(link);
  return link;
}

/** Real ports (serialport's listing, or sysfs when udevadm is missing) and this process's virtual boards. */
export function listAllSerialPorts(overrides: PortListSources = {}): Promise<SerialPortEntry[]> {
  return listSerialPorts({
    native: () => SerialPort.list(),
    virtual: () => VirtualBinding.list(),
    ...overrides,
  });
}
