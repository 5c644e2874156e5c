import type { NodeAPI, NodeDef } from 'node-red';
import '../../src/virtual-ports';
import { createSerialLink, listAllSerialPorts } from '../../src/serial/open-port';
import { acquireSharedPort } from '../../src/serial/shared-port';
import { VIRTUAL_BOARDS_SETTING, checkSerialBaud, checkSerialPort, checkVirtualPortAllowed } from '../../src/field-rules';
import { firstProblem } from '../rule-words';
import { boardWatch } from '../../src/board-watch/board-watch';
import type { Esp8266DeviceNode } from './device-api';

interface DeviceDef extends NodeDef {
  port: string;
  baud: string | number;
  reset: string;
}

export = function register(RED: NodeAPI): void {
  /** settings.js `esp8266DeviceVirtualBoards`: false turns `sim:` ports off (a production server); absent means on. */
  const virtualBoardsSetting = (): unknown =>
    (RED.settings as unknown as Partial<Record<typeof VIRTUAL_BOARDS_SETTING, unknown>>)[VIRTUAL_BOARDS_SETTING];

  function Esp8266Device(this: Esp8266DeviceNode, config: DeviceDef): void {
    RED.nodes.createNode(this, config);
    this.port = String(config.port ?? '').trim();
    this.baudRate = Number(config.baud);
    this.reset = config.reset === 'none' ? 'none' : 'auto';
    // The values the edit dialog marks red are refused here with the same words, never adjusted.
    this.problem = firstProblem(RED, 'esp8266-device', [
      checkSerialPort(config.port),
      checkVirtualPortAllowed(config.port, virtualBoardsSetting()),
      checkSerialBaud(config.baud),
    ]);
    if (this.problem) this.error(this.problem);
    this.sharedPort = this.problem
      ? undefined
      : acquireSharedPort({ path: this.port, baudRate: this.baudRate, createLink: createSerialLink });
    const unwatch = boardWatch.watchDevice({
      id: this.id,
      name: this.name ?? '',
      port: this.port,
      reset: this.reset,
      sharedPort: this.sharedPort,
    });

    this.on('close', (_removed: boolean, done: () => void) => {
      unwatch();
      const port = this.sharedPort;
      this.sharedPort = undefined;
      if (!port) return done();
      port.releaseReference().then(done, (error: Error) => {
        this.warn(RED._('esp8266-device.log.closeFailed', { port: this.port, reason: error.message }));
        done();
      });
    });
  }

  // Exported to the editor, whose dialog refuses a sim: port with the runtime's words when it is false.
  RED.nodes.registerType('esp8266-device', Esp8266Device, {
    settings: { [VIRTUAL_BOARDS_SETTING]: { value: true, exportable: true } },
  });

  // The editor's search button: serial ports with vendor, product and serial number.
  RED.httpAdmin.get('/esp8266-device/ports', RED.auth.needsPermission('esp8266-device.read'), (_req, res) => {
    listAllSerialPorts().then(
      (ports) => res.json(ports.filter((port) => !port.virtual || virtualBoardsSetting() !== false)),
      (error: Error) => res.status(500).json({ error: error.message }),
    );
  });
};
