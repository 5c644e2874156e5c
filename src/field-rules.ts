/**
 * The limits and patterns of every value a user sets in the nodes' edit dialogs, in one place. The
 * runtime refuses what they refuse, and the build hands this very module to the editors
 * (resources/field-rules.js, see scripts/copy-assets.js), so the dialog marks the same values red, with
 * the same words. A check answers `undefined` or a problem: a rule name that is also the message key
 * (`<node type>.errors.<rule>` in the node's catalog) and the values the message names.
 *
 * No import and no Node.js API: this file runs in the browser as it is compiled.
 */

export interface RuleProblem {
  rule: string;
  params?: Record<string, string | number>;
}

/** A value a check refused; the node that reads the setting turns it into its catalog's words. */
export class RuleError extends Error {
  constructor(readonly problem: RuleProblem) {
    super(`${problem.rule}${problem.params ? ` ${JSON.stringify(problem.params)}` : ''}`);
    this.name = 'RuleError';
  }
}

interface Range {
  min: number;
  max: number;
}

export const LIMITS = {
  /** Periods below a second would keep a 12-bit sensor converting all the time (750 ms per conversion). 0 reads only on input. */
  readIntervalMs: { min: 1000, max: 86_400_000 },
  /** What a USB serial adapter's firmware side (the bridge speaks 115200) can use. */
  serialBaud: { min: 300, max: 4_000_000 },
  /** The ESP8266 ROM loader's rates; the flasher stub switches between them. */
  flashBaud: { min: 9600, max: 4_000_000 },
  brokerPort: { min: 1, max: 65535 },
  /** MQTT's keepalive is a 16-bit number of seconds. */
  keepaliveSeconds: { min: 0, max: 65535 },
  bufferMessages: { min: 1, max: 1_000_000 },
  bufferMegabytes: { min: 1, max: 1024 },
  /** Serial port, w1 sysfs and firmware file paths. */
  pathLength: 256,
  /** MQTT 3.1.1 allows 23 bytes but brokers such as flespi take more; 256 bounds what is kept per client. */
  clientIdBytes: 256,
  /** MQTT limits a topic, and every other string of a packet, to 65535 bytes of UTF-8 (MQTT 5.0, 1.5.4). */
  topicBytes: 65535,
  mqttStringBytes: 65535,
  sensorNameLength: 64,
  chosenSensors: 64,
  /** The most flash an ESP8266 addresses (16 MB): flash addresses, read sizes and images stay below it. */
  flashBytes: 16 * 1024 * 1024,
  /** The flash's erase unit: every part of a firmware written in parts starts on one. */
  flashSector: 4096,
  /** Parts of a firmware written in one go (boot loader, application, init data, filesystem…). */
  flashParts: 16,
  /** MQTT 5's Message Expiry Interval is a four-byte number of seconds; 0 sends none. */
  messageExpirySeconds: { min: 0, max: 4_294_967_295 },
  /** The URL path of MQTT over WebSockets: a short path, as brokers serve it (`/`, `/mqtt`). */
  wsPathLength: 256,
  /** A calibration offset in °C: larger errors mean a faulty sensor, not one to correct. */
  sensorOffsetC: { min: -10, max: 10 },
  /** Decimals of a published value; 4 already shows the 12-bit step (0.0625 °C). */
  decimals: { min: 0, max: 4 },
  /** The DS18B20's configuration register: 9 to 12 bits. */
  resolutionBits: { min: 9, max: 12 },
  /** °C a reading must move before it is sent again; the sensor's whole range is 180 °C. */
  deadbandC: { min: 0, max: 100 },
  /** Seconds after which an unchanged reading is sent anyway; one day at most. */
  heartbeatSeconds: { min: 0, max: 86_400 },
  /** °C one reading may move from the last good one; the sensor's whole range is 180 °C. */
  maxStepC: { min: 0, max: 180 },
} as const;

/** Serial port paths that start with this name a virtual board of the Node-RED process: `sim:kitchen`. */
export const VIRTUAL_PORT_PREFIX = 'sim:';
/**
 * The settings.js switch for `sim:` ports (Node-RED wants a node's settings to start with its type in
 * camel case). `false` refuses them; absent or `true` allows them.
 */
export const VIRTUAL_BOARDS_SETTING = 'esp8266DeviceVirtualBoards';

/** How the broker config reaches its broker: MQTT over TLS, or MQTT over WebSockets over TLS. */
export const TRANSPORTS = ['tls', 'wss'] as const;

export const PATTERNS = {
  /** A DNS name or an IPv4/IPv6 address (brackets allowed). */
  host: /^[A-Za-z0-9.-]{1,253}$|^\[?[0-9a-fA-F:]+\]?$/,
  /** A SHA-256 fingerprint: 64 hex digits, colons and a `sha256/` prefix allowed. */
  pin: /^(sha256\/)?\s*([0-9A-Fa-f]{2}:?){32}\s*$/i,
  /** A URL path: a leading slash, then printable ASCII without spaces, `?` or `#` (no query, no fragment). */
  wsPath: /^\/[!"$->@-~]*$/,
} as const;

/** What a form field or a flow file holds, as text; anything but a string or a number counts as blank. */
function text(value: unknown): string {
  if (typeof value === 'string') return value.trim();
  return typeof value === 'number' ? String(value) : '';
}

/** A whole number within `range`, written as digits (a form field gives a string, a flow file a number). */
function integerIn(rule: string, range: Range, value: unknown): RuleProblem | undefined {
  const written = text(value);
  const number = Number(written);
  if (/^-?\d+$/.test(written) && number >= range.min && number <= range.max) return undefined;
  return { rule, params: { min: range.min, max: range.max } };
}

function utf8Length(value: string): number {
  return new TextEncoder().encode(value).length;
}

function shorterThanPath(rule: string, value: string): RuleProblem | undefined {
  return value.length > LIMITS.pathLength ? { rule, params: { max: LIMITS.pathLength } } : undefined;
}

/** One file of the flash node's file setting and the flash address it is written at. */
export interface FirmwareFileEntry {
  address: number;
  path: string;
}

const ADDRESS = '(?:0x[0-9a-f]+|\\d+)';
const ADDRESS_PAIR = new RegExp(`^(${ADDRESS})=(.*)$`, 'is');
// Pairs are separated by a comma, semicolon or line break followed by the next `address=`, so a
// path may hold commas.
const PAIR_SEPARATOR = new RegExp(`\\s*[,;\\n]\\s*(?=${ADDRESS}=)`, 'i');

/** A flash address written in hex (0x…) or decimal; NaN for anything else. */
export function parseFlashAddress(value: unknown): number {
  const written = text(value);
  if (/^0x[0-9a-f]+$/i.test(written)) return parseInt(written.slice(2), 16);
  return /^\d+$/.test(written) ? Number(written) : NaN;
}

/** The file setting split into its pairs as written, or one path for 0 when it has no `address=`. */
function splitFileSetting(setting: string): Array<{ pair: string; written: string; path: string }> {
  if (!ADDRESS_PAIR.test(setting)) return [{ pair: setting, written: '0', path: setting }];
  return setting.split(PAIR_SEPARATOR).map((pair) => {
    const [, written = '', path = ''] = ADDRESS_PAIR.exec(pair) ?? [];
    return { pair, written, path: path.trim() };
  });
}

/**
 * The files of the flash node's file setting: one path (written at 0), or `address=path` pairs such as
 * `0x0=boot.bin, 0x1000=app.bin`. Throws a RuleError for a setting checkFirmwareFile refuses.
 */
export function firmwareFileList(value: unknown): FirmwareFileEntry[] {
  enforce(checkFirmwareFile('file', value));
  return splitFileSetting(text(value)).map(({ written, path }) => ({ address: parseFlashAddress(written), path }));
}

/** The read node's interval: 0, or one second to one day. */
export function checkReadInterval(value: unknown): RuleProblem | undefined {
  if (text(value) === '0') return undefined;
  return integerIn('interval', LIMITS.readIntervalMs, value);
}

/** The read node needs a device when it reads through the bridge. */
export function checkReadDevice(source: unknown, device: unknown): RuleProblem | undefined {
  return source !== 'w1' && text(device) === '' ? { rule: 'device' } : undefined;
}

/** The w1 path; blank means the kernel's default. */
export function checkW1Path(value: unknown): RuleProblem | undefined {
  return shorterThanPath('w1Path', text(value));
}

/** A number within `range`, with an optional fraction (a form field gives a string, a flow file a number). */
function decimalIn(rule: string, range: Range, value: unknown): RuleProblem | undefined {
  const written = text(value);
  const number = Number(written);
  if (/^-?\d+(\.\d+)?$/.test(written) && number >= range.min && number <= range.max) return undefined;
  return { rule, params: { min: range.min, max: range.max } };
}

/** A sensor's calibration offset in °C; blank means none. */
export function checkSensorOffset(value: unknown): RuleProblem | undefined {
  return text(value) === '' ? undefined : decimalIn('sensorOffset', LIMITS.sensorOffsetC, value);
}

/** Decimals of the published value; blank keeps the sensor's full resolution. */
export function checkDecimals(value: unknown): RuleProblem | undefined {
  return text(value) === '' ? undefined : integerIn('decimals', LIMITS.decimals, value);
}

/** The resolution to set; blank leaves the sensors as they are. */
export function checkResolution(value: unknown): RuleProblem | undefined {
  return text(value) === '' ? undefined : integerIn('resolution', LIMITS.resolutionBits, value);
}

/** Publish on change: °C a reading must move; 0 sends every reading. */
export function checkDeadband(value: unknown): RuleProblem | undefined {
  return decimalIn('deadband', LIMITS.deadbandC, text(value) === '' ? 0 : value);
}

/** Seconds after which an unchanged reading goes out anyway; 0 never. */
export function checkHeartbeat(value: unknown): RuleProblem | undefined {
  return integerIn('heartbeat', LIMITS.heartbeatSeconds, text(value) === '' ? 0 : value);
}

/** The spike filter's largest step in °C; 0 turns it off. */
export function checkMaxStep(value: unknown): RuleProblem | undefined {
  return decimalIn('maxStep', LIMITS.maxStepC, text(value) === '' ? 0 : value);
}

export function checkSensorName(value: unknown): RuleProblem | undefined {
  return text(value).length > LIMITS.sensorNameLength ? { rule: 'sensorName', params: { max: LIMITS.sensorNameLength } } : undefined;
}

export function checkSerialPort(value: unknown): RuleProblem | undefined {
  const path = text(value);
  if (path === '') return { rule: 'port' };
  return shorterThanPath('portLength', path);
}

/** A `sim:` port where settings.js turned virtual boards off (`allowed` is the setting's value). */
export function checkVirtualPortAllowed(value: unknown, allowed: unknown): RuleProblem | undefined {
  if (allowed !== false || !text(value).startsWith(VIRTUAL_PORT_PREFIX)) return undefined;
  return { rule: 'virtualBoardsOff', params: { setting: VIRTUAL_BOARDS_SETTING } };
}

export function checkSerialBaud(value: unknown): RuleProblem | undefined {
  return integerIn('baud', LIMITS.serialBaud, value);
}

export function checkFlashBaud(value: unknown): RuleProblem | undefined {
  return integerIn('flashBaud', LIMITS.flashBaud, value);
}

/** The firmware file setting, needed when the flash node writes files: one path, or address=path pairs. */
export function checkFirmwareFile(firmware: unknown, file: unknown): RuleProblem | undefined {
  if (firmware !== 'file') return undefined;
  const setting = text(file);
  if (setting === '') return { rule: 'file' };
  const pairs = splitFileSetting(setting);
  if (pairs.length > LIMITS.flashParts) return { rule: 'fileParts', params: { max: LIMITS.flashParts } };
  for (const { pair, written, path } of pairs) {
    if (path === '') return { rule: 'filePair', params: { pair } };
    const address = parseFlashAddress(written);
    if (!(address < LIMITS.flashBytes) || address % LIMITS.flashSector !== 0) return { rule: 'fileAddress', params: { address: written } };
    const tooLong = shorterThanPath('fileLength', path);
    if (tooLong) return tooLong;
  }
  return undefined;
}

/** The flash node's mode: write firmware, or read the flash into msg.payload. */
export function checkFlashMode(value: unknown): RuleProblem | undefined {
  return value === undefined || value === 'write' || value === 'read' ? undefined : { rule: 'mode' };
}

/** Where a read starts: a flash address, hex or decimal. */
export function checkReadAddress(value: unknown): RuleProblem | undefined {
  const address = parseFlashAddress(text(value) === '' ? '0' : value);
  return address < LIMITS.flashBytes ? undefined : { rule: 'readAddress', params: { max: `0x${(LIMITS.flashBytes - 1).toString(16)}` } };
}

/** How much a read takes: blank for the rest of the flash, else 1 byte to 16 MB (hex or decimal). */
export function checkReadSize(value: unknown): RuleProblem | undefined {
  if (text(value) === '') return undefined;
  const size = parseFlashAddress(value);
  return size >= 1 && size <= LIMITS.flashBytes ? undefined : { rule: 'readSize', params: { max: LIMITS.flashBytes } };
}

export function checkBrokerHost(value: unknown): RuleProblem | undefined {
  const host = text(value);
  return PATTERNS.host.test(host) ? undefined : { rule: 'host', params: { value: host } };
}

export function checkBrokerPort(value: unknown): RuleProblem | undefined {
  return integerIn('port', LIMITS.brokerPort, value);
}

export function checkKeepalive(value: unknown): RuleProblem | undefined {
  return integerIn('keepalive', LIMITS.keepaliveSeconds, value);
}

/** Blank gives a generated id. */
export function checkClientId(value: unknown): RuleProblem | undefined {
  return utf8Length(text(value)) > LIMITS.clientIdBytes ? { rule: 'clientId', params: { max: LIMITS.clientIdBytes } } : undefined;
}

export function checkPin(value: unknown): RuleProblem | undefined {
  const pin = text(value);
  return pin === '' || PATTERNS.pin.test(pin) ? undefined : { rule: 'pin' };
}

export function checkBufferMessages(value: unknown): RuleProblem | undefined {
  return integerIn('bufferMessages', LIMITS.bufferMessages, value);
}

export function checkBufferMegabytes(value: unknown): RuleProblem | undefined {
  return integerIn('bufferMegabytes', LIMITS.bufferMegabytes, value);
}

/**
 * A topic flespi accepts for publishing, or a template for one (`{{name}}` parts are filled per
 * message). `required` is false for the node's own topic, which may be blank.
 */
export function checkPublishTopic(value: unknown, required = true): RuleProblem | undefined {
  const topic = typeof value === 'string' ? value : '';
  if (topic === '') return required ? { rule: 'topicMissing' } : undefined;
  if (topic.startsWith('/')) return { rule: 'topicSlash', params: { topic } };
  if (topic === 'flespi' || topic.startsWith('flespi/')) return { rule: 'topicReserved', params: { topic } };
  if (topic.includes('+') || topic.includes('#')) return { rule: 'topicWildcard', params: { topic } };
  if (topic.includes('\u0000')) return { rule: 'topicNul' };
  // A UTF-16 code unit takes at most 3 bytes of UTF-8: only long topics need counting.
  if (topic.length * 3 > LIMITS.topicBytes && utf8Length(topic) > LIMITS.topicBytes) {
    return { rule: 'topicLength', params: { max: LIMITS.topicBytes } };
  }
  return undefined;
}

/**
 * A string a message brings for an MQTT 5 property (content type, user property names and values).
 * U+0000 makes the packet malformed (MQTT 5.0, 1.5.4); the other control characters are code points a
 * receiver may treat as malformed, and brokers such as mosquitto do: they would close the connection.
 */
export function checkPropertyText(value: string, field: string): RuleProblem | undefined {
  for (let at = 0; at < value.length; at += 1) {
    const unit = value.charCodeAt(at);
    if (unit <= 0x1f || (unit >= 0x7f && unit <= 0x9f)) {
      return { rule: 'propertyControl', params: { field, code: `U+${unit.toString(16).toUpperCase().padStart(4, '0')}` } };
    }
  }
  if (value.length * 3 > LIMITS.mqttStringBytes && utf8Length(value) > LIMITS.mqttStringBytes) {
    return { rule: 'propertyLength', params: { field, max: LIMITS.mqttStringBytes } };
  }
  return undefined;
}

/** The QoS a node may set: 0, 1, or blank for msg.qos. flespi offers no QoS 2. */
export function checkQos(value: unknown): RuleProblem | undefined {
  const qos = text(value);
  return qos === '' || qos === '0' || qos === '1' ? undefined : { rule: 'qos' };
}

/** The broker config's status topic: blank (off), or a topic the out node could publish to, without `{{…}}` parts. */
export function checkStatusTopic(value: unknown): RuleProblem | undefined {
  const problem = checkPublishTopic(typeof value === 'string' ? value : '', false);
  if (problem) return problem;
  return typeof value === 'string' && value.includes('{{') ? { rule: 'statusTopicTemplate' } : undefined;
}

export function checkTransport(value: unknown): RuleProblem | undefined {
  const transport = text(value);
  return transport === '' || (TRANSPORTS as readonly string[]).includes(transport) ? undefined : { rule: 'transport' };
}

/** The WebSocket URL path; blank takes the default. Only MQTT over WebSockets uses it. */
export function checkWsPath(value: unknown): RuleProblem | undefined {
  const path = text(value);
  if (path === '') return undefined;
  if (path.length > LIMITS.wsPathLength) return { rule: 'wsPathLength', params: { max: LIMITS.wsPathLength } };
  return PATTERNS.wsPath.test(path) ? undefined : { rule: 'wsPath' };
}

/** A message expiry in whole seconds; blank (none) where a node setting allows it. */
export function checkMessageExpiry(value: unknown, blankAllowed = true): RuleProblem | undefined {
  if (blankAllowed && text(value) === '') return undefined;
  return integerIn('messageExpiry', LIMITS.messageExpirySeconds, value);
}

/** Throws the problem a check found, for code that cannot go on with the value. */
export function enforce(problem: RuleProblem | undefined): void {
  if (problem) throw new RuleError(problem);
}

export type Translate = (key: string, params?: Record<string, string | number>) => string;

/**
 * The words for a problem: `translate` is Node-RED's `RED._` in the runtime, or a node type's `_` in
 * the editor, and `catalog` the node type whose catalog holds `errors.<rule>`.
 */
export function describeProblem(problem: RuleProblem, catalog: string, translate: Translate): string {
  return translate(`${catalog}.errors.${problem.rule}`, problem.params);
}

/**
 * A `validate` function for an editor's `defaults`. It declares two parameters, which tells Node-RED 4
 * that a string answer is the reason to show beside the red field. `check` gets the value and the node
 * (for rules that depend on another field); the words come from the node's `_`, which the editor gives
 * every node of a type from that type's catalog.
 */
export function editorValidator(
  catalog: string,
  check: (value: unknown, node: Record<string, unknown>) => RuleProblem | undefined,
): (this: Record<string, unknown>, value: unknown, options: unknown) => true | string {
  return function validate(this: Record<string, unknown>, value: unknown, _options: unknown): true | string {
    const problem = check(value, this);
    if (!problem) return true;
    const translate = typeof this._ === 'function' ? (this._ as Translate) : (key: string) => key;
    return describeProblem(problem, catalog, translate);
  };
}
