// What an esp8266-device config node offers the nodes that use it (flash and read nodes).
import type { Node } from 'node-red';
import type { SharedPort } from '../../src/serial/shared-port';

export type ResetMode = 'auto' | 'none';

export interface Esp8266DeviceNode extends Node {
  /** Serial path; `sim:<name>` is a virtual board. */
  port: string;
  /** Baud rate of the firmware on the board (the bridge speaks 115200). */
  baudRate: number;
  reset: ResetMode;
  /** The one shared connection to `port`; undefined when no port is configured. */
  sharedPort: SharedPort | undefined;
  /** Why there is no shared port: the setting the edit dialog refuses, in the catalog's words. */
  problem: string | undefined;
}
