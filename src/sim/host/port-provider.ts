// The virtual board as a provider of `sim:<name>` serial ports (see src/serial/port-providers.ts).
import { SerialPortStream } from '@serialport/stream';
import type { ListedPort } from '../../serial/list-ports';
import type { PortProvider } from '../../serial/port-providers';
import type { SerialLink } from '../../serial/serial-link';
import { VirtualBinding } from './binding';

export const virtualPortProvider: PortProvider = {
  createLink(path: string, baudRate: number): SerialLink {
    return new SerialPortStream({ binding: VirtualBinding, path, baudRate, autoOpen: false });
  },
  list(): Promise<ListedPort[]> {
    return VirtualBinding.list();
  },
};
