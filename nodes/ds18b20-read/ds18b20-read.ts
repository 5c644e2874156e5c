import type { Node, NodeAPI, NodeDef, NodeMessage, NodeMessageInFlow } from 'node-red';
import type { Esp8266DeviceNode } from '../esp8266-device/device-api';
import { CycleResult } from '../../src/onewire/bridge-client';
import { ChosenSensor, normaliseChosenSensors, parseInterval, selectReadings, statusText } from '../../src/onewire/read-selection';
import { BridgeSource, SensorSource, SourceState, W1Source } from '../../src/onewire/sensor-source';
import { DEFAULT_W1_ROOT } from '../../src/onewire/w1-reader';

interface ReadDef extends NodeDef {
  source: string;
  device: string;
  w1Path: string;
  interval: string | number;
  output: string;
  unit: string;
  sensors: unknown;
}

type SendFn = (msg: NodeMessage | Array<NodeMessage | NodeMessage[] | null>) => void;

const MAX_PATH_LENGTH = 256;

function cleanPath(value: unknown): string {
  const text = typeof value === 'string' ? value.trim().slice(0, MAX_PATH_LENGTH) : '';
  return text || DEFAULT_W1_ROOT;
}

/** Builds the source a node or the editor's sensor list reads from; throws a sentence when it cannot. */
function openSource(RED: NodeAPI, source: string, deviceId: string, w1Path: unknown): SensorSource {
  if (source === 'w1') return new W1Source(cleanPath(w1Path));
  const device = RED.nodes.getNode(deviceId) as Esp8266DeviceNode | null;
  if (!device) throw new Error('no ESP8266 device is configured (or it is not deployed yet)');
  if (!device.sharedPort) throw new Error('the ESP8266 device has no serial port set');
  return new BridgeSource(device.sharedPort);
}

export = function register(RED: NodeAPI): void {
  function Ds18b20Read(this: Node, config: ReadDef): void {
    RED.nodes.createNode(this, config);
    const node = this;
    const chosen: ChosenSensor[] = normaliseChosenSensors(config.sensors);
    const unit = config.unit === 'F' ? 'F' : 'C';
    const eachMessage = config.output !== 'array';
    const interval = parseInterval(config.interval);
    let source: SensorSource | undefined;
    let timer: NodeJS.Timeout | undefined;
    let reading = false;
    let lastStateDetail = '';

    try {
      source = openSource(RED, config.source, config.device, config.w1Path);
    } catch (err) {
      node.status({ fill: 'red', shape: 'ring', text: 'no device' });
      node.error((err as Error).message);
    }

    const showState = (state: SourceState) => {
      if (state.usable) {
        if (state.kind === 'ready') node.status({ fill: 'green', shape: 'ring', text: 'ready' });
        else node.status({ fill: 'grey', shape: 'ring', text: 'connecting' });
        lastStateDetail = '';
        return;
      }
      const short: Record<string, string> = { paused: 'paused: flashing', lost: 'board unplugged', 'no-bridge': 'no bridge firmware' };
      node.status({ fill: state.kind === 'paused' ? 'yellow' : 'red', shape: 'ring', text: short[state.kind] ?? state.kind });
      // Say the full reason once per change, not on every tick.
      if (state.detail !== lastStateDetail && state.kind !== 'closed') node.warn(state.detail);
      lastStateDetail = state.detail;
    };
    source?.on('state', showState);
    if (source) showState(source.state);

    const readOnce = async (msg: NodeMessage | null, send: SendFn): Promise<Error | null> => {
      if (!source) return new Error('no sensor source: configure the node');
      let cycle: CycleResult;
      try {
        cycle = await source.read(chosen.map((c) => c.ident));
      } catch (err) {
        node.status({ fill: 'red', shape: 'ring', text: 'read failed' });
        return err as Error;
      }
      if (cycle.busError && cycle.outcomes.length === 0) {
        node.status({ fill: 'red', shape: 'ring', text: 'no sensors' });
        return new Error(cycle.busError);
      }
      const selected = selectReadings(cycle.outcomes, { sensors: chosen, unit });
      const failing = selected.errors.length > 0;
      const fill = selected.readings.length === 0 ? 'red' : failing ? 'yellow' : 'green';
      node.status({ fill, shape: failing ? 'ring' : 'dot', text: statusText(selected) });
      if (selected.readings.length > 0) {
        if (eachMessage) {
          const messages = selected.readings.map((r) => {
            const out = msg ? RED.util.cloneMessage(msg) : ({} as NodeMessage);
            out.topic = r.ident;
            out.payload = r;
            return out;
          });
          send([messages]);
        } else {
          const out = msg ? RED.util.cloneMessage(msg) : ({} as NodeMessage);
          out.payload = selected.readings;
          send(out);
        }
      }
      if (!failing) return null;
      const err = new Error(selected.errors.map((e) => e.message).join('; '));
      (err as Error & { sensors?: unknown }).sensors = selected.errors.map((e) => ({ ident: e.ident, code: e.code, message: e.message }));
      return err;
    };

    node.on('input', (msg: NodeMessageInFlow, send: SendFn, done: (err?: Error) => void) => {
      readOnce(msg, send).then(
        (err) => {
          if (err) {
            const sensors = (err as Error & { sensors?: unknown }).sensors;
            if (sensors) (msg as NodeMessage & { errors?: unknown }).errors = sensors;
            done(err);
          } else done();
        },
        (err: Error) => done(err),
      );
    });

    if (interval > 0 && source) {
      timer = setInterval(() => {
        // A slow bus must not pile reads up, and a paused or missing board has already said why.
        if (reading || !source?.state.usable) return;
        reading = true;
        readOnce(null, (m) => node.send(m)).then(
          (err) => {
            reading = false;
            if (err) {
              const sensors = (err as Error & { sensors?: unknown }).sensors;
              node.error(err.message, { payload: null, errors: sensors } as NodeMessage);
            }
          },
          () => { reading = false; },
        );
      }, interval);
    }

    node.on('close', (_removed: boolean, done: () => void) => {
      if (timer) clearInterval(timer);
      source?.close();
      source = undefined;
      done();
    });
  }

  RED.nodes.registerType('ds18b20-read', Ds18b20Read);

  // The editor's sensor dropdown. Needs the read permission; reads only sensor names from the w1 path.
  RED.httpAdmin.get('/ds18b20-read/sensors', RED.auth.needsPermission('ds18b20-read.read'), (req, res) => {
    const query = req.query as Record<string, unknown>;
    const source = query.source === 'w1' ? 'w1' : 'esp8266';
    let sensorSource: SensorSource;
    try {
      sensorSource = openSource(RED, source, typeof query.device === 'string' ? query.device : '', query.w1Path);
    } catch (err) {
      res.status(404).json({ error: (err as Error).message });
      return;
    }
    sensorSource.list().then(
      (sensors) => {
        sensorSource.close();
        res.json(sensors);
      },
      (err: Error) => {
        sensorSource.close();
        res.status(503).json({ error: err.message });
      },
    );
  });
};
