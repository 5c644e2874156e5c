import os from 'node:os';
import path from 'node:path';
import type { Node, NodeAPI, NodeDef, NodeMessageInFlow } from 'node-red';
import { backupToDirectory } from '../../src/esp8266/flash-backup';
import { FlashError } from '../../src/esp8266/flash-errors';
import { FlashParamsChoice, isFlashFrequency, isFlashMode, isFlashSizeName } from '../../src/esp8266/flash-params';
import { FlashProgress, FlashResult } from '../../src/esp8266/flasher';
import type { ReadResult } from '../../src/esp8266/flash-read';
import { flashOnSharedPort, readOnSharedPort } from '../../src/esp8266/flash-on-shared-port';
import { isFirmwareSource, loadFirmware } from '../../src/esp8266/firmware-source';
import '../../src/virtual-ports';
import { createSerialLink } from '../../src/serial/open-port';
import {
  checkFirmwareFile,
  checkFlashBaud,
  checkFlashMode,
  checkReadAddress,
  checkReadSize,
  parseFlashAddress,
} from '../../src/field-rules';
import { firstProblem } from '../rule-words';
import type { Esp8266DeviceNode } from '../esp8266-device/device-api';

interface FlashDef extends NodeDef {
  device: string;
  firmware: string;
  file: string;
  flashBaud: string | number;
  eraseAll: boolean;
  verify: boolean;
  /** Absent in flows saved before the option existed: on. */
  skipUnchanged?: boolean;
  flashMode?: string;
  flashFreq?: string;
  flashSize?: string;
  progressOutput?: boolean;
  /** Absent in flows saved before the read mode existed: write. */
  mode?: 'write' | 'read';
  /** Read mode: first address (hex or decimal, blank for 0) and byte count (blank for the rest of the flash). */
  address?: string;
  size?: string;
  /** Write mode: save what the write replaces under the user directory first. */
  backup?: boolean;
}

interface FlashNode extends Node {
  /** The flash in progress, if any. */
  running: Promise<unknown> | undefined;
}

/** settings.js: the path of the image the *bundled* choice writes, instead of this package's bridge. */
const BUNDLED_IMAGE_SETTING = 'esp8266FlashBundledImage';
// Status and editor updates at most this often; a 1 MB write reports hundreds of blocks.
const PROGRESS_INTERVAL_MS = 250;
const CLOSE_WAIT_MS = 12_000;
/** Where backups go, inside Node-RED's user directory. */
const BACKUP_FOLDER = 'esp8266-backups';

function flashParams(config: FlashDef): FlashParamsChoice {
  return {
    mode: config.flashMode && isFlashMode(config.flashMode) ? config.flashMode : 'keep',
    frequency: config.flashFreq && isFlashFrequency(config.flashFreq) ? config.flashFreq : 'keep',
    size: config.flashSize === 'detect' ? 'detect' : config.flashSize && isFlashSizeName(config.flashSize) ? config.flashSize : 'keep',
  };
}

/** msg.skipUnchanged, when a boolean, overrides the node's setting for that one flash. */
function skipUnchangedFor(msg: NodeMessageInFlow, configured: boolean): boolean {
  const override = (msg as { skipUnchanged?: unknown }).skipUnchanged;
  return typeof override === 'boolean' ? override : configured;
}

/** The status line of a failed flash: the failure's kind in a few words, or the start of its message. */
function shortReason(RED: NodeAPI, error: Error): string {
  if (error instanceof FlashError) return RED._(`esp8266-flash.failure.${error.code}`);
  return error.message.length > 32 ? `${error.message.slice(0, 31)}…` : error.message;
}

export = function register(RED: NodeAPI): void {
  function Esp8266Flash(this: FlashNode, config: FlashDef): void {
    RED.nodes.createNode(this, config);
    const node = this;
    node.running = undefined;
    const device = RED.nodes.getNode(config.device) as Esp8266DeviceNode | null;
    const source = isFirmwareSource(config.firmware) ? config.firmware : 'bundled';
    const flashBaudRate = Number(config.flashBaud);
    const mode = config.mode === 'read' ? 'read' : 'write';
    // The values the edit dialog marks red are refused here with the same words, never adjusted.
    const settingProblem = firstProblem(
      RED,
      'esp8266-flash',
      mode === 'read'
        ? [checkFlashMode(config.mode), checkFlashBaud(config.flashBaud), checkReadAddress(config.address), checkReadSize(config.size)]
        : [checkFlashMode(config.mode), checkFlashBaud(config.flashBaud), checkFirmwareFile(source, config.file)],
    );
    const readAddress = (config.address ?? '').trim() === '' ? 0 : parseFlashAddress(config.address);
    const readSize = (config.size ?? '').trim() === '' ? undefined : parseFlashAddress(config.size);
    const userDir = (RED.settings as unknown as { userDir?: string }).userDir ?? path.join(os.homedir(), '.node-red');
    const backup = config.backup === true ? backupToDirectory(path.join(userDir, BACKUP_FOLDER)) : undefined;
    const progressOutput = config.progressOutput === true;
    const skipUnchanged = config.skipUnchanged !== false;
    const topic = `esp8266-flash/${node.id}`;
    // A settings.js override of the bundled image, for packagers who ship their own bridge build.
    const bundledPath =
      (RED.settings as unknown as Partial<Record<typeof BUNDLED_IMAGE_SETTING, string>>)[BUNDLED_IMAGE_SETTING] || undefined;

    if (settingProblem) {
      node.status({ fill: 'red', shape: 'ring', text: settingProblem });
      node.error(settingProblem);
    } else if (!device) {
      node.status({ fill: 'red', shape: 'ring', text: RED._('esp8266-flash.status.noDevice') });
    }

    node.on('input', (msg: NodeMessageInFlow, send, done) => {
      const fail = (error: Error) => {
        node.status({ fill: 'red', shape: 'dot', text: shortReason(RED, error) });
        RED.comms.publish(topic, { phase: 'failed', error: error.message }, false);
        // A plain Error keeps the message clean in Catch nodes and the debug sidebar; the code stays machine-readable.
        done(Object.assign(new Error(error.message), error instanceof FlashError ? { code: error.code } : {}));
      };
      if (settingProblem) return fail(new Error(settingProblem));
      if (!device?.sharedPort) return fail(new FlashError('port-missing', device?.problem ?? RED._('esp8266-flash.errors.noDevice')));
      // One flash at a time per node; another node flashing the same port is refused by the port's lease.
      if (node.running)
        return fail(new FlashError('already-flashing', RED._('esp8266-flash.errors.alreadyFlashing', { port: device.port })));
      const sharedPort = device.sharedPort;

      let lastUpdate = 0;
      const onProgress = (progress: FlashProgress) => {
        const now = Date.now();
        if (now - lastUpdate < PROGRESS_INTERVAL_MS && progress.phase === 'writing') return;
        lastUpdate = now;
        node.status({
          fill: 'blue',
          shape: 'dot',
          text: RED._('esp8266-flash.status.progress', {
            phase: RED._(`esp8266-flash.phase.${progress.phase}`),
            percent: progress.percent,
          }),
        });
        RED.comms.publish(topic, progress, false);
        if (progressOutput) send([null, { topic: 'progress', payload: progress, _msgid: msg._msgid }]);
      };

      const connection = {
        createLink: createSerialLink,
        flashBaudRate,
        reset: device.reset,
        onProgress,
        log: (line: string) => node.debug(line),
      };
      const write = async (): Promise<FlashResult> => {
        node.status({ fill: 'blue', shape: 'ring', text: RED._('esp8266-flash.status.loading') });
        const image = await loadFirmware({ source, file: config.file, payload: msg.payload, bundledPath });
        return flashOnSharedPort(sharedPort, {
          ...connection,
          image,
          eraseAll: config.eraseAll === true,
          verify: config.verify !== false,
          flashParams: flashParams(config),
          skipUnchanged: skipUnchangedFor(msg, skipUnchanged),
          backup,
        });
      };
      const wrote = (result: FlashResult) => {
        const kb = Math.ceil(result.bytesWritten / 1024);
        // Without DTR/RTS the new firmware only starts when someone presses RESET.
        const upToDate = result.sectorsWritten === 0;
        const key = upToDate ? (result.restarted ? 'upToDate' : 'upToDatePressReset') : result.restarted ? 'flashed' : 'flashedPressReset';
        node.status({ fill: 'green', shape: 'dot', text: RED._(`esp8266-flash.status.${key}`, { kb }) });
        RED.comms.publish(topic, { phase: 'done', percent: 100, result }, false);
        msg.payload = result;
      };
      const read = (result: ReadResult) => {
        const { bytes, ...summary } = result;
        node.status({ fill: 'green', shape: 'dot', text: RED._('esp8266-flash.status.read', { kb: Math.ceil(result.size / 1024) }) });
        RED.comms.publish(topic, { phase: 'done', percent: 100, read: summary }, false);
        msg.payload = Buffer.from(bytes.buffer, bytes.byteOffset, bytes.byteLength);
        (msg as { flash?: unknown }).flash = summary;
      };

      const work: Promise<void> =
        mode === 'read'
          ? readOnSharedPort(sharedPort, { ...connection, address: readAddress, size: readSize }).then(read)
          : write().then(wrote);
      node.running = work.then(
        () => {
          node.running = undefined;
          send(progressOutput ? [msg, null] : msg);
          done();
        },
        (error: Error) => {
          node.running = undefined;
          fail(error);
        },
      );
    });

    node.on('close', (_removed: boolean, done: () => void) => {
      // A flash cut short leaves a board that does not boot; let a running one finish, within
      // Node-RED's close timeout (15 s): afterwards it ends on its own and gives the port back.
      const finishing = node.running ?? Promise.resolve();
      const limit = new Promise((resolve) => setTimeout(resolve, CLOSE_WAIT_MS).unref());
      void Promise.race([finishing, limit]).then(() => {
        node.status({});
        done();
      });
    });
  }

  // Node-RED requires a node's settings to start with its type in camel case: esp8266Flash…
  RED.nodes.registerType('esp8266-flash', Esp8266Flash, {
    settings: { [BUNDLED_IMAGE_SETTING]: { value: '', exportable: false } },
  });
};
