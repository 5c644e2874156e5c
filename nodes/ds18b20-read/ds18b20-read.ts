import type { Node, NodeAPI, NodeDef, NodeMessage, NodeMessageInFlow, NodeStatus } from 'node-red';
import type { Esp8266DeviceNode } from '../esp8266-device/device-api';
import { ReadReport, runReadCycle } from '../../src/onewire/read-cycle';
import { ChosenSensor, normaliseChosenSensors } from '../../src/onewire/read-selection';
import { SensorReadFailure } from '../../src/onewire/sensor-error';
import { BridgeSource, SensorSource, SourceState, W1Source } from '../../src/onewire/sensor-source';
import { DEFAULT_W1_ROOT } from '../../src/onewire/w1-reader';
import { checkReadDevice, checkReadInterval, checkSensorName, checkW1Path, enforce } from '../../src/field-rules';
import { firstProblem, inWords } from '../rule-words';
import { boardWatch } from '../../src/board-watch/board-watch';

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

const STATE_STATUS: Record<string, string> = {
  connecting: 'node-red:common.status.connecting',
  ready: 'ds18b20-read.status.ready',
  paused: 'ds18b20-read.status.paused',
  lost: 'ds18b20-read.status.lost',
  'no-bridge': 'ds18b20-read.status.noBridge',
};
const REASON_STATUS: Record<NonNullable<ReadReport['reason']>, string> = {
  'read failed': 'ds18b20-read.status.readFailed',
  'no sensors': 'ds18b20-read.status.noSensors',
};

/** The source a node or the editor's sensor list reads from; throws a sentence when there is none. */
function openSource(RED: NodeAPI, source: unknown, deviceId: unknown, w1Path: unknown): SensorSource {
  if (source === 'w1') {
    enforce(checkW1Path(w1Path));
    return new W1Source(typeof w1Path === 'string' && w1Path.trim() !== '' ? w1Path.trim() : DEFAULT_W1_ROOT);
  }
  const device = typeof deviceId === 'string' ? (RED.nodes.getNode(deviceId) as Esp8266DeviceNode | null) : null;
  if (!device) throw new Error(RED._('ds18b20-read.errors.noDevice'));
  if (!device.sharedPort) throw new Error(device.problem ?? RED._('ds18b20-read.errors.noPort'));
  return new BridgeSource(device.sharedPort);
}

function reportStatus(RED: NodeAPI, report: ReadReport): NodeStatus {
  if (!report.counts) return { fill: 'red', shape: 'ring', text: RED._(REASON_STATUS[report.reason ?? 'read failed']) };
  const { ok, failing } = report.counts;
  const fill = ok === 0 ? 'red' : failing > 0 ? 'yellow' : 'green';
  return { fill, shape: failing > 0 ? 'ring' : 'dot', text: RED._('ds18b20-read.status.counts', { ok, failing }) };
}

export = function register(RED: NodeAPI): void {
  function Ds18b20Read(this: Node, config: ReadDef): void {
    RED.nodes.createNode(this, config);
    const node = this;
    const chosen: ChosenSensor[] = normaliseChosenSensors(config.sensors);
    const unit = config.unit === 'F' ? 'F' : 'C';
    const eachMessage = config.output !== 'array';
    const interval = Number(config.interval);
    let source: SensorSource | undefined;
    let timer: NodeJS.Timeout | undefined;
    let periodicReadRunning = false;
    let lastWarning = '';
    // The values the edit dialog marks red are refused here with the same words, never adjusted.
    const names = Array.isArray(config.sensors) ? config.sensors.map((s) => (s as { name?: unknown } | null)?.name) : [];
    const settingProblem = firstProblem(RED, 'ds18b20-read', [
      checkReadInterval(config.interval),
      checkReadDevice(config.source, config.device),
      config.source === 'w1' ? checkW1Path(config.w1Path) : undefined,
      ...names.map(checkSensorName),
    ]);

    if (settingProblem) {
      node.status({ fill: 'red', shape: 'ring', text: settingProblem });
      node.error(settingProblem);
    } else {
      try {
        source = openSource(RED, config.source, config.device, config.w1Path);
      } catch (err) {
        const error = inWords(RED, 'ds18b20-read', err);
        node.status({ fill: 'red', shape: 'ring', text: RED._('ds18b20-read.status.noDevice') });
        node.error(error.message);
      }
    }

    const showState = (state: SourceState) => {
      if (state.usable) {
        lastWarning = '';
        node.status({ fill: state.kind === 'ready' ? 'green' : 'grey', shape: 'ring', text: RED._(STATE_STATUS[state.kind]) });
        return;
      }
      if (state.kind === 'closed') return;
      node.status({ fill: state.kind === 'paused' ? 'yellow' : 'red', shape: 'ring', text: RED._(STATE_STATUS[state.kind]) });
      // A flash is a state the status shows, not a problem: nothing in the log or the debug sidebar.
      if (state.kind === 'paused') return;
      // The full reason once per change, not on every tick.
      if (state.detail !== lastWarning) node.warn(RED._('ds18b20-read.log.unusable', { reason: state.detail }));
      lastWarning = state.detail;
    };
    source?.on('state', showState);
    if (source) showState(source.state);
    const unwatch = source && boardWatch.watchReadNode({
      source: config.source === 'w1' ? 'w1' : 'esp8266', deviceId: config.device, w1Path: config.w1Path?.trim() || DEFAULT_W1_ROOT,
      sensors: chosen, sensorSource: source,
    });

    /** Reads, sends the good readings and returns the error to report, if any. */
    const readAndSend = async (msg: NodeMessage | null, send: SendFn): Promise<Error | undefined> => {
      if (!source) return new Error(settingProblem ?? RED._('ds18b20-read.errors.noSource'));
      const report = await runReadCycle(source, chosen, unit);
      node.status(reportStatus(RED, report));
      const base = () => (msg ? RED.util.cloneMessage(msg) : ({} as NodeMessage));
      if (report.readings.length > 0 && eachMessage) {
        send([report.readings.map((reading) => Object.assign(base(), { topic: reading.ident, payload: reading }))]);
      } else if (report.readings.length > 0) {
        send(Object.assign(base(), { payload: report.readings }));
      }
      return report.error;
    };

    node.on('input', (msg: NodeMessageInFlow, send: SendFn, done: (err?: Error) => void) => {
      void readAndSend(msg, send).then((err) => {
        if (err instanceof SensorReadFailure) (msg as NodeMessage & { errors?: unknown }).errors = err.sensors;
        done(err);
      });
    });

    if (interval > 0 && source) {
      timer = setInterval(() => {
        // A slow bus must not pile reads up, and a paused or missing board has already said why.
        if (periodicReadRunning || !source?.state.usable) return;
        periodicReadRunning = true;
        void readAndSend(null, (m) => node.send(m)).then((err) => {
          periodicReadRunning = false;
          if (!err) return;
          const errors = err instanceof SensorReadFailure ? err.sensors : [];
          node.error(err.message, { payload: null, errors });
        });
      }, interval);
    }

    node.on('close', (_removed: boolean, done: () => void) => {
      if (timer) clearInterval(timer);
      unwatch?.();
      source?.close();
      source = undefined;
      done();
    });
  }

  RED.nodes.registerType('ds18b20-read', Ds18b20Read);

  // The editor's sensor dropdown. Needs the read permission; from a w1 path it reads only sensor names.
  RED.httpAdmin.get('/ds18b20-read/sensors', RED.auth.needsPermission('ds18b20-read.read'), (req, res) => {
    const query = req.query as Record<string, unknown>;
    let sensorSource: SensorSource;
    try {
      sensorSource = openSource(RED, query.source === 'w1' ? 'w1' : 'esp8266', query.device, query.w1Path);
    } catch (err) {
      res.status(404).json({ error: inWords(RED, 'ds18b20-read', err).message });
      return;
    }
    sensorSource.list().then(
      (sensors) => res.json(sensors),
      (err: Error) => res.status(503).json({ error: err.message }),
    ).finally(() => sensorSource.close());
  });
};
