// Opens serial ports by path: a path a registered provider claims (the virtual board's `sim:<name>`)
// through that provider, any other path a real tty through serialport's native binding.
import { SerialPort } from 'serialport';
import { PortListSources, SerialPortEntry, listSerialPorts } from './list-ports';
import { listProvidedPorts, portProviderFor } from './port-providers';
import { SerialLink, openLink } from './serial-link';

export interface OpenSerialPortOptions {
  path: string;
  baudRate: number;
}

/** A link for `path` that is not open yet (open it with openLink, or use openSerialPort). */
export function createSerialLink(path: string, baudRate: number): SerialLink {
  const provider = portProviderFor(path);
  if (provider) return provider.createLink(path, baudRate);
  // hupcl off: closing the port must not drop DTR/RTS, which would reset the board.
  return new SerialPort({ path, baudRate, autoOpen: false, hupcl: false });
}

export async function openSerialPort(options: OpenSerialPortOptions): Promise<SerialLink> {
  const link = createSerialLink(options.path, options.baudRate);
  await openLink(link);
  return link;
}

/** Real ports (serialport's listing, or sysfs when udevadm is missing) and those of loaded providers. */
export function listAllSerialPorts(overrides: PortListSources = {}): Promise<SerialPortEntry[]> {
  return listSerialPorts({
    native: () => SerialPort.list(),
    virtual: listProvidedPorts,
    ...overrides,
  });
}
