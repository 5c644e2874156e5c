import type { Node, NodeAPI, NodeDef, NodeMessage, NodeMessageInFlow, NodeStatus } from 'node-red';
import type { Esp8266DeviceNode } from '../esp8266-device/device-api';
import { ReadReport, runReadCycle } from '../../src/onewire/read-cycle';
import { ResolutionReport } from '../../src/onewire/resolution-report';
import { SensorReadFailure } from '../../src/onewire/sensor-error';
import { WaitingInputs } from '../../src/onewire/shared-read';
import { BridgeSource, SensorListing, SensorSource, SourceOptions, SourceState, W1Source } from '../../src/onewire/sensor-source';
import { findBridgeSession } from '../../src/onewire/bridge-session';
import { DEFAULT_W1_ROOT } from '../../src/onewire/w1-reader';
import { checkReadDevice, checkReadInterval, checkW1Path, enforce } from '../../src/field-rules';
import { bridgeBoardIdent, w1BoardIdent } from '../../src/readings/board-message';
import { FixedResolutionNotes } from '../../src/readings/fixed-resolution';
import { outgoingMessages, outputMode } from '../../src/readings/outgoing-messages';
import { ProcessedCycle, ReadingPipeline } from '../../src/readings/reading-pipeline';
import { readingSettingProblems, readingSettings } from '../../src/readings/read-settings';
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
  decimals?: unknown;
  resolution?: unknown;
  deadband?: unknown;
  heartbeat?: unknown;
  maxStep?: unknown;
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
function openSource(RED: NodeAPI, source: unknown, deviceId: unknown, w1Path: unknown, options: SourceOptions = {}): SensorSource {
  if (source === 'w1') {
    enforce(checkW1Path(w1Path));
    return new W1Source(typeof w1Path === 'string' && w1Path.trim() !== '' ? w1Path.trim() : DEFAULT_W1_ROOT, options);
  }
  const device = findDevice(RED, deviceId);
  if (!device) throw new Error(RED._('ds18b20-read.errors.noDevice'));
  if (!device.sharedPort) throw new Error(device.problem ?? RED._('ds18b20-read.errors.noPort'));
  return new BridgeSource(device.sharedPort, options);
}

function findDevice(RED: NodeAPI, deviceId: unknown): Esp8266DeviceNode | null {
  return typeof deviceId === 'string' ? (RED.nodes.getNode(deviceId) as Esp8266DeviceNode | null) : null;
}

function reportStatus(RED: NodeAPI, report: ReadReport, cycle: ProcessedCycle): NodeStatus {
  if (!cycle.counts) return { fill: 'red', shape: 'ring', text: RED._(REASON_STATUS[report.reason ?? 'read failed']) };
  const { ok, failing, held } = cycle.counts;
  const fill = ok === 0 ? 'red' : failing > 0 ? 'yellow' : 'green';
  const stuck = report.error instanceof SensorReadFailure ? report.error.sensors.filter((s) => s.code === 'stuck').length : 0;
  const key = stuck > 0 ? 'ds18b20-read.status.countsStuck' : held > 0 ? 'ds18b20-read.status.countsHeld' : 'ds18b20-read.status.counts';
  const text = RED._(key, { ok, failing, stuck, held });
  return { fill, shape: failing > 0 ? 'ring' : 'dot', text };
}

export = function register(RED: NodeAPI): void {
  function Ds18b20Read(this: Node, config: ReadDef): void {
    RED.nodes.createNode(this, config);
    const node = this;
    const settings = readingSettings(config);
    const pipeline = new ReadingPipeline(settings);
    const fixedNotes = new FixedResolutionNotes();
    const mode = outputMode(config.output);
    const boardPort = findDevice(RED, config.device)?.port ?? 'unknown';
    // A bridge names its board by the MAC its hello line says (firmware 1.1.0 on), else by its port.
    const boardIdent = () => (source instanceof BridgeSource ? bridgeBoardIdent({ path: boardPort, mac: source.mac }) : w1BoardIdent());
    const interval = Number(config.interval);
    let source: SensorSource | undefined;
    let timer: NodeJS.Timeout | undefined;
    let periodicReadRunning = false;
    let lastWarning = '';
    // The values the edit dialog marks red are refused here with the same words, never adjusted.
    const settingProblem = firstProblem(RED, 'ds18b20-read', [
      checkReadInterval(config.interval),
      checkReadDevice(config.source, config.device),
      config.source === 'w1' ? checkW1Path(config.w1Path) : undefined,
      ...readingSettingProblems(config),
    ]);

    if (settingProblem) {
      node.status({ fill: 'red', shape: 'ring', text: settingProblem });
      node.error(settingProblem);
    } else {
      try {
        source = openSource(RED, config.source, config.device, config.w1Path, { resolution: settings.resolution });
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
    const unwatch =
      source &&
      boardWatch.watchReadNode({
        source: config.source === 'w1' ? 'w1' : 'esp8266',
        deviceId: config.device,
        w1Path: config.w1Path?.trim() || DEFAULT_W1_ROOT,
        sensors: settings.sensors,
        sensorSource: source,
      });

    const saidAboutResolution = new Set<string>();
    source?.on('resolution', (report: ResolutionReport) => {
      // Once per sensor and reason: a bridge that restarts asks again, and says the same again.
      const key = `${report.kind} ${report.detail}`;
      if (saidAboutResolution.has(key)) return;
      saidAboutResolution.add(key);
      const words = report.kind === 'not-writable' ? 'ds18b20-read.log.resolutionNotWritable' : 'ds18b20-read.log.resolutionFailed';
      node.warn(RED._(words, { bits: report.bits, count: report.idents.length, detail: report.detail }));
    });
    const nameFixedParts = (report: ReadReport) => {
      if (settings.resolution === undefined) return;
      for (const ident of fixedNotes.newlyFixed(report.readings))
        node.log(RED._('ds18b20-read.log.fixedResolution', { ident, bits: settings.resolution }));
    };

    /** Reads, sends the good readings and returns the error to report, if any. */
    const readAndSend = async (msg: NodeMessage | null, send: SendFn): Promise<Error | undefined> => {
      if (!source) return new Error(settingProblem ?? RED._('ds18b20-read.errors.noSource'));
      // Offsets, unit and decimals are the pipeline's: the cycle reads plain °C.
      const report = await runReadCycle(source, settings.sensors, 'C');
      nameFixedParts(report);
      const cycle = pipeline.process(report);
      node.status(reportStatus(RED, report, cycle));
      const base = () => (msg ? RED.util.cloneMessage(msg) : ({} as NodeMessage));
      const messages = outgoingMessages(cycle, mode, boardIdent()).map((m) => Object.assign(base(), m));
      if (messages.length > 0) send([messages]);
      return cycle.error;
    };

    // Messages arriving while a read runs share it (the source runs one at a time); a storm beyond that is refused.
    const waitingInputs = new WaitingInputs();
    node.on('input', (msg: NodeMessageInFlow, send: SendFn, done: (err?: Error) => void) => {
      const read = waitingInputs.admit(() => readAndSend(msg, send));
      if (!read) {
        done(new Error(RED._('ds18b20-read.errors.busy', { count: waitingInputs.count })));
        return;
      }
      void read.then((err) => {
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

  // The editor's sensor dropdown. The read permission lists what is already known without touching anything:
  // the default w1 tree, a w1 path a deployed read node uses, or the sensors a running bridge session found.
  // Any other path (a probe of the server's files) and a scan of the bus (opens the port, drives the board)
  // need the write permission.
  const needsWrite = RED.auth.needsPermission('ds18b20-read.write');
  RED.httpAdmin.get('/ds18b20-read/sensors', RED.auth.needsPermission('ds18b20-read.read'), (req, res) => {
    const query = req.query as Record<string, unknown>;
    const list = (sensorSource: SensorSource) => {
      sensorSource
        .list()
        .then(
          (sensors) => res.json(sensors),
          (err: Error) => res.status(503).json({ error: err.message }),
        )
        .finally(() => sensorSource.close());
    };
    const open = (source: 'w1' | 'esp8266') => {
      try {
        list(openSource(RED, source, query.device, query.w1Path));
      } catch (err) {
        res.status(404).json({ error: inWords(RED, 'ds18b20-read', err).message });
      }
    };
    if (query.source === 'w1') {
      if (isKnownW1Path(RED, query.w1Path)) open('w1');
      else needsWrite(req, res, () => open('w1'));
      return;
    }
    const known = knownBridgeSensors(RED, query.device);
    if (known) res.json(known);
    else needsWrite(req, res, () => open('esp8266'));
  });
};

/** The default tree, or the w1 path of a deployed read node: listing it reveals nothing the flow does not. */
function isKnownW1Path(RED: NodeAPI, w1Path: unknown): boolean {
  const wanted = typeof w1Path === 'string' && w1Path.trim() !== '' ? w1Path.trim() : DEFAULT_W1_ROOT;
  if (wanted === DEFAULT_W1_ROOT) return true;
  let used = false;
  RED.nodes.eachNode((n) => {
    const def = n as unknown as Partial<ReadDef>;
    if (def.type === 'ds18b20-read' && def.source === 'w1' && typeof def.w1Path === 'string' && def.w1Path.trim() === wanted) used = true;
  });
  return used;
}

/** The sensors the bridge session on a deployed device's port already found, without a command to the board. */
function knownBridgeSensors(RED: NodeAPI, deviceId: unknown): SensorListing[] | undefined {
  const device = typeof deviceId === 'string' ? (RED.nodes.getNode(deviceId) as Esp8266DeviceNode | null) : null;
  if (!device || device.type !== 'esp8266-device' || !device.sharedPort) return undefined;
  const sensors = findBridgeSession(device.sharedPort)?.client.sensors;
  return sensors && sensors.length > 0 ? sensors.map((s) => ({ ident: s.ident, model: s.model })) : undefined;
}
