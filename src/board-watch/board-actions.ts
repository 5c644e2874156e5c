// What the sidebar's buttons do: scan the bus, read now, write the bundled bridge, and the report. Each goes
// through the code the nodes use (a bridge session, a w1 source, the shared port's flash lease), so what it
// does shows in the board's view through the same hooks as the nodes' own work.
import { describeEnvironment } from '../bridge-check/environment';
import { loadFirmware } from '../esp8266/firmware-source';
import { flashOnSharedPort } from '../esp8266/flash-on-shared-port';
import type { FlashProgress, FlashResult } from '../esp8266/flasher';
import type { CycleResult } from '../onewire/bridge-client';
import { acquireBridgeSession, releaseBridgeSession } from '../onewire/bridge-session';
import { W1Source } from '../onewire/sensor-source';
import type { SerialLinkCreator, SharedPort } from '../serial/shared-port';
import type { BoardWatch } from './board-watch';
import { liveReportText } from './live-report';

/** The flash node's default rate for writing. */
export const SIDEBAR_FLASH_BAUD = 460800;

export class UnknownBoardError extends Error {
  override name = 'UnknownBoardError';
}

export interface FlashChoice {
  createLink: SerialLinkCreator;
  /** A settings.js override of the bundled image, as the flash node honours it. */
  bundledPath?: string;
  onProgress?: (progress: FlashProgress) => void;
}

export class BoardActions {
  constructor(private readonly watch: BoardWatch) {}

  async scan(id: string): Promise<number> {
    const path = this.watch.w1Path(id);
    if (path !== undefined) {
      const source = new W1Source(path);
      try {
        const found = await source.list();
        const record = this.watch.record(id);
        if (record) this.watch.w1Scanned(record, found);
        return found.length;
      } finally {
        source.close();
      }
    }
    return this.withSession(id, async (session) => (await session.scan()).length);
  }

  async readNow(id: string): Promise<void> {
    const path = this.watch.w1Path(id);
    if (path !== undefined) {
      const source = new W1Source(path);
      const record = this.watch.record(id);
      if (record) source.on('read', (cycle: CycleResult, ms: number) => this.watch.w1Read(record, cycle, ms));
      try {
        await source.read([]);
      } finally {
        source.close();
      }
      return;
    }
    await this.withSession(id, (session) => session.read());
  }

  async flashBridge(id: string, choice: FlashChoice): Promise<FlashResult> {
    const device = this.watch.device(id);
    if (!device) throw new UnknownBoardError(`no ESP8266 board "${id}" in the deployed flows`);
    const port = this.portOf(id);
    const image = await loadFirmware({ source: 'bundled', bundledPath: choice.bundledPath });
    return flashOnSharedPort(port, {
      image,
      createLink: choice.createLink,
      flashBaudRate: SIDEBAR_FLASH_BAUD,
      reset: device.reset,
      onProgress: choice.onProgress,
    });
  }

  report(id: string): string {
    const record = this.watch.record(id);
    if (!record) throw new UnknownBoardError(`no board "${id}" in the deployed flows`);
    return liveReportText(record, describeEnvironment());
  }

  private portOf(id: string): SharedPort {
    const device = this.watch.device(id);
    if (!device) throw new UnknownBoardError(`no board "${id}" in the deployed flows`);
    if (!device.sharedPort) throw new Error(`${device.port || id}: the device has no usable port setting`);
    return device.sharedPort;
  }

  /** Borrows the port's bridge session (the read nodes' own when one runs) for one command. */
  private async withSession<T>(id: string, use: (session: ReturnType<typeof acquireBridgeSession>) => Promise<T>): Promise<T> {
    const session = acquireBridgeSession(this.portOf(id));
    try {
      return await use(session);
    } finally {
      releaseBridgeSession(session);
    }
  }
}
