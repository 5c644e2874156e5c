import type { NodeAPI, NodeDef } from 'node-red';
import { createSerialLink, listAllSerialPorts } from '../../src/serial/open-port';
import { acquireSharedPort } from '../../src/serial/shared-port';
import type { Esp8266DeviceNode, ResetMode } from './device-api';

interface DeviceDef extends NodeDef {
  port: string;
  baud: string | number;
  reset: string;
}

const DEFAULT_BAUD = 115200;
const MAX_PATH_LENGTH = 256;

function parseBaud(value: string | number | undefined): number {
  const baud = Number(value);
  return Number.isInteger(baud) && baud >= 300 && baud <= 4_000_000 ? baud : DEFAULT_BAUD;
}

export = function register(RED: NodeAPI): void {
  function Esp8266Device(this: Esp8266DeviceNode, config: DeviceDef): void {
    RED.nodes.createNode(this, config);
    this.port = String(config.port ?? '').trim().slice(0, MAX_PATH_LENGTH);
    this.baudRate = parseBaud(config.baud);
    this.reset = (config.reset === 'none' ? 'none' : 'auto') as ResetMode;
    this.sharedPort = this.port ? acquireSharedPort({ path: this.port, baudRate: this.baudRate, createLink: createSerialLink }) : undefined;

    this.on('close', (_removed: boolean, done: () => void) => {
      const port = this.sharedPort;
      this.sharedPort = undefined;
      if (!port) return done();
      port.releaseReference().then(done, (error: Error) => {
        this.warn(RED._('esp8266-device.log.closeFailed', { port: this.port, reason: error.message }));
        done();
      });
    });
  }

  RED.nodes.registerType('esp8266-device', Esp8266Device);

  // The editor's search button: serial ports with vendor, product and serial number.
  RED.httpAdmin.get('/esp8266-device/ports', RED.auth.needsPermission('esp8266-device.read'), (_req, res) => {
    listAllSerialPorts().then(
      (ports) => res.json(ports),
      (error: Error) => res.status(500).json({ error: error.message }),
    );
  });
};
