import { strict as assert } from 'assert';
import fs from 'node:fs';
import path from 'node:path';
import vm from 'node:vm';
import * as rules from '../../src/field-rules';

const RESOURCE = path.resolve(__dirname, '..', '..', '..', 'resources', 'field-rules.js');

/** [check, accepted values, refused values with the rule each gets] */
const CASES: Array<[string, (value: unknown) => rules.RuleProblem | undefined, unknown[], Array<[unknown, string]>]> = [
  [
    'read interval',
    rules.checkReadInterval,
    [0, '0', 1000, '10000', 86_400_000],
    [
      [999, 'interval'],
      [1, 'interval'],
      [-5, 'interval'],
      ['often', 'interval'],
      [1500.5, 'interval'],
      [86_400_001, 'interval'],
      ['', 'interval'],
    ],
  ],
  ['w1 path', rules.checkW1Path, ['', '/sys/bus/w1/devices', 'x'.repeat(256)], [['x'.repeat(257), 'w1Path']]],
  ['sensor name', rules.checkSensorName, [undefined, '', 'Boiler', 'x'.repeat(64)], [['x'.repeat(65), 'sensorName']]],
  [
    'serial port',
    rules.checkSerialPort,
    ['/dev/ttyUSB0', 'sim:kitchen', ` ${'x'.repeat(256)} `],
    [
      ['', 'port'],
      ['  ', 'port'],
      ['x'.repeat(257), 'portLength'],
    ],
  ],
  [
    'serial baud',
    rules.checkSerialBaud,
    [300, '115200', 4_000_000],
    [
      [299, 'baud'],
      ['fast', 'baud'],
      ['', 'baud'],
      [4_000_001, 'baud'],
      ['9600.5', 'baud'],
    ],
  ],
  [
    'flash baud',
    rules.checkFlashBaud,
    [9600, '460800', 921600],
    [
      [4800, 'flashBaud'],
      ['max', 'flashBaud'],
      [5_000_000, 'flashBaud'],
    ],
  ],
  [
    'broker host',
    rules.checkBrokerHost,
    ['mqtt.flespi.io', '127.0.0.1', '::1', '[::1]'],
    [
      ['mqtt flespi io', 'host'],
      ['', 'host'],
      ['a/b', 'host'],
    ],
  ],
  [
    'broker port',
    rules.checkBrokerPort,
    [1, '8883', 65535],
    [
      [0, 'port'],
      ['tls', 'port'],
      [65536, 'port'],
      [8883.5, 'port'],
    ],
  ],
  [
    'keepalive',
    rules.checkKeepalive,
    [0, '60', 65535],
    [
      [-1, 'keepalive'],
      [65536, 'keepalive'],
      ['often', 'keepalive'],
    ],
  ],
  ['client id', rules.checkClientId, ['', 'nodered-1', 'x'.repeat(256)], [['é'.repeat(129), 'clientId']]],
  [
    'pin',
    rules.checkPin,
    ['', 'AB:'.repeat(31) + 'AB', 'sha256/' + 'ab'.repeat(32)],
    [
      ['zz', 'pin'],
      ['AB'.repeat(31), 'pin'],
    ],
  ],
  [
    'buffer messages',
    rules.checkBufferMessages,
    [1, '10000', 1_000_000],
    [
      [0, 'bufferMessages'],
      [1_000_001, 'bufferMessages'],
      ['many', 'bufferMessages'],
    ],
  ],
  [
    'buffer megabytes',
    rules.checkBufferMegabytes,
    [1, '16', 1024],
    [
      [0, 'bufferMegabytes'],
      [1025, 'bufferMegabytes'],
      ['0.5', 'bufferMegabytes'],
    ],
  ],
  [
    'publish topic',
    rules.checkPublishTopic,
    ['sensors/{{ident}}/temperature', 'flespianything/ok', 'a'],
    [
      ['', 'topicMissing'],
      [undefined, 'topicMissing'],
      ['/sensors', 'topicSlash'],
      ['flespi', 'topicReserved'],
      ['flespi/state', 'topicReserved'],
      ['a/+/b', 'topicWildcard'],
      ['a/#', 'topicWildcard'],
      ['a\u0000b', 'topicNul'],
      ['x'.repeat(70000), 'topicLength'],
    ],
  ],
  [
    'sensor offset',
    rules.checkSensorOffset,
    [undefined, '', 0, '-0.5', 10, '-10', 1.25],
    [
      [10.5, 'sensorOffset'],
      ['-11', 'sensorOffset'],
      ['warm', 'sensorOffset'],
      ['1e1', 'sensorOffset'],
    ],
  ],
  [
    'decimals',
    rules.checkDecimals,
    ['', undefined, 0, '2', 4],
    [
      [5, 'decimals'],
      [-1, 'decimals'],
      ['1.5', 'decimals'],
      ['two', 'decimals'],
    ],
  ],
  [
    'resolution',
    rules.checkResolution,
    ['', undefined, 9, '10', 11, '12'],
    [
      [8, 'resolution'],
      [13, 'resolution'],
      ['9.5', 'resolution'],
      ['high', 'resolution'],
    ],
  ],
  [
    'deadband',
    rules.checkDeadband,
    ['', 0, '0.25', 100],
    [
      [-0.1, 'deadband'],
      [100.5, 'deadband'],
      ['small', 'deadband'],
    ],
  ],
  [
    'heartbeat',
    rules.checkHeartbeat,
    ['', 0, '300', 86_400],
    [
      [-1, 'heartbeat'],
      [86_401, 'heartbeat'],
      ['1.5', 'heartbeat'],
    ],
  ],
  [
    'max step',
    rules.checkMaxStep,
    ['', 0, '2.5', 180],
    [
      [-1, 'maxStep'],
      [181, 'maxStep'],
      ['big', 'maxStep'],
    ],
  ],
  [
    'QoS',
    rules.checkQos,
    ['', 0, '1', undefined],
    [
      [2, 'qos'],
      ['two', 'qos'],
    ],
  ],
  [
    'status topic',
    rules.checkStatusTopic,
    ['', undefined, 'nodered/kitchen/status'],
    [
      ['/status', 'topicSlash'],
      ['flespi/status', 'topicReserved'],
      ['a/+', 'topicWildcard'],
      ['a\u0000', 'topicNul'],
      ['s/{{ident}}', 'statusTopicTemplate'],
    ],
  ],
  [
    'transport',
    rules.checkTransport,
    ['', 'tls', 'wss'],
    [
      ['ws', 'transport'],
      ['mqtts', 'transport'],
    ],
  ],
  [
    'WebSocket path',
    rules.checkWsPath,
    ['', '/', '/mqtt', '/a/b-c_d.e~f'],
    [
      ['mqtt', 'wsPath'],
      ['/a b', 'wsPath'],
      ['/a?b', 'wsPath'],
      ['/a#b', 'wsPath'],
      ['/é', 'wsPath'],
      ['/' + 'x'.repeat(256), 'wsPathLength'],
    ],
  ],
  [
    'message expiry',
    rules.checkMessageExpiry,
    ['', 0, '60', 4_294_967_295],
    [
      [-1, 'messageExpiry'],
      [1.5, 'messageExpiry'],
      [4_294_967_296, 'messageExpiry'],
      ['soon', 'messageExpiry'],
    ],
  ],
];

describe('field rules (the limits the runtime and the editors share)', () => {
  for (const [name, check, good, bad] of CASES) {
    it(`${name}: accepts ${good.length} values and refuses ${bad.length}, each with its rule`, () => {
      for (const value of good) assert.equal(check(value), undefined, `${name} refused ${String(value).slice(0, 40)}`);
      for (const [value, rule] of bad) assert.equal(check(value)?.rule, rule, `${name} for ${String(value).slice(0, 40)}`);
    });
  }

  it('a range problem names its bounds, for the message', () => {
    assert.deepEqual(rules.checkReadInterval(10), { rule: 'interval', params: { min: 1000, max: 86_400_000 } });
    assert.deepEqual(rules.checkBrokerHost('a b'), { rule: 'host', params: { value: 'a b' } });
  });

  it('a node needs a device only when it reads through the bridge', () => {
    assert.equal(rules.checkReadDevice('esp8266', '')?.rule, 'device');
    assert.equal(rules.checkReadDevice('esp8266', 'dev1'), undefined);
    assert.equal(rules.checkReadDevice('w1', ''), undefined);
  });

  it('a firmware file is needed only when the flash node writes a file', () => {
    assert.equal(rules.checkFirmwareFile('file', ' ')?.rule, 'file');
    assert.equal(rules.checkFirmwareFile('file', 'x'.repeat(300))?.rule, 'fileLength');
    assert.equal(rules.checkFirmwareFile('file', '/home/pi/app.bin'), undefined);
    assert.equal(rules.checkFirmwareFile('bundled', ''), undefined);
  });

  it('a sim: port is refused only where settings.js turns virtual boards off, naming the setting', () => {
    const off = { rule: 'virtualBoardsOff', params: { setting: 'esp8266DeviceVirtualBoards' } };
    assert.deepEqual(rules.checkVirtualPortAllowed(' sim:kitchen', false), off);
    for (const allowed of [true, undefined, 'false', 0])
      assert.equal(rules.checkVirtualPortAllowed('sim:kitchen', allowed), undefined, String(allowed));
    assert.equal(rules.checkVirtualPortAllowed('/dev/ttyUSB0', false), undefined);
    assert.equal(rules.VIRTUAL_BOARDS_SETTING, 'esp8266DeviceVirtualBoards');
  });

  it('a firmware file setting is one path, or address=path pairs on sector boundaries', () => {
    assert.deepEqual(rules.firmwareFileList('/home/pi/a=b.bin'), [{ address: 0, path: '/home/pi/a=b.bin' }]);
    assert.deepEqual(rules.firmwareFileList('0x0=/fw/boot.bin, 0x1000=/fw/app, v2.bin;4177920=/fw/init.bin\n0x3FE000=/fw/blank.bin'), [
      { address: 0, path: '/fw/boot.bin' },
      { address: 0x1000, path: '/fw/app, v2.bin' },
      { address: 0x3fc000, path: '/fw/init.bin' },
      { address: 0x3fe000, path: '/fw/blank.bin' },
    ]);
    assert.deepEqual(rules.checkFirmwareFile('file', '0x0=/a.bin,0x800=/b.bin'), { rule: 'fileAddress', params: { address: '0x800' } });
    assert.deepEqual(rules.checkFirmwareFile('file', '0x1000000=/a.bin'), { rule: 'fileAddress', params: { address: '0x1000000' } });
    assert.deepEqual(rules.checkFirmwareFile('file', '0x0=, 0x1000=/b.bin'), { rule: 'filePair', params: { pair: '0x0=' } });
    const seventeen = Array.from({ length: 17 }, (_, i) => `0x${(i * 0x1000).toString(16)}=/p${i}.bin`).join(', ');
    assert.deepEqual(rules.checkFirmwareFile('file', seventeen), { rule: 'fileParts', params: { max: 16 } });
    assert.equal(rules.checkFirmwareFile('file', `0x0=/${'x'.repeat(300)}`)?.rule, 'fileLength');
    assert.throws(
      () => rules.firmwareFileList('0x0='),
      (error: unknown) => error instanceof rules.RuleError && error.problem.rule === 'filePair',
    );
  });

  it("the flash node's mode, read address and read size", () => {
    assert.equal(rules.checkFlashMode('read'), undefined);
    assert.equal(rules.checkFlashMode(undefined), undefined);
    assert.equal(rules.checkFlashMode('erase')?.rule, 'mode');
    for (const good of ['', '0', '0x300000', '16777215']) assert.equal(rules.checkReadAddress(good), undefined, good);
    for (const bad of ['0x1000000', '-1', 'abc', '1.5']) assert.equal(rules.checkReadAddress(bad)?.rule, 'readAddress', bad);
    for (const good of ['', '1', '0x100000', 16 * 1024 * 1024]) assert.equal(rules.checkReadSize(good), undefined, String(good));
    for (const bad of ['0', '0x1000001', 'all']) assert.equal(rules.checkReadSize(bad)?.rule, 'readSize', bad);
  });

  it('enforce throws a RuleError carrying the problem, and nothing for a good value', () => {
    assert.doesNotThrow(() => rules.enforce(rules.checkBrokerPort(8883)));
    assert.throws(
      () => rules.enforce(rules.checkBrokerPort(0)),
      (error: unknown) => error instanceof rules.RuleError && error.problem.rule === 'port' && error.problem.params?.max === 65535,
    );
  });

  it("an editor validator declares two parameters and answers true or the node's words for the problem", () => {
    const validate = rules.editorValidator('ds18b20-read', rules.checkReadInterval);
    assert.equal(validate.length, 2, 'Node-RED 4 shows a string answer only from a two-parameter validator');
    const node = { _: (key: string, params?: Record<string, string | number>) => `${key} ${JSON.stringify(params)}` };
    assert.equal(validate.call(node, '10000', {}), true);
    assert.equal(validate.call(node, '10', {}), 'ds18b20-read.errors.interval {"min":1000,"max":86400000}');
  });

  it('the editors get this very module: resources/field-rules.js runs in a page and answers the same', () => {
    assert.ok(fs.existsSync(RESOURCE), 'run `npm run build`: it writes resources/field-rules.js');
    const page: { window: Record<string, unknown>; TextEncoder: typeof TextEncoder } = { window: {}, TextEncoder };
    vm.runInNewContext(fs.readFileSync(RESOURCE, 'utf8'), page);
    const editor = page.window.esp8266FlespiFieldRules as typeof rules;
    assert.deepEqual(JSON.parse(JSON.stringify(editor.LIMITS)), JSON.parse(JSON.stringify(rules.LIMITS)));
    assert.deepEqual(String(editor.PATTERNS.host), String(rules.PATTERNS.host));
    const exported = Object.keys(rules)
      .filter((k) => k !== '__esModule')
      .sort();
    assert.deepEqual(
      Object.keys(editor)
        .filter((k) => k !== '__esModule')
        .sort(),
      exported,
    );
    for (const [name, check, good, bad] of CASES) {
      const editorCheck = (editor as unknown as Record<string, typeof check>)[check.name];
      assert.ok(editorCheck, `${name}: ${check.name} is missing from the editor's copy`);
      for (const [value] of [...good.map((g) => [g]), ...bad]) {
        assert.equal(JSON.stringify(editorCheck(value)), JSON.stringify(check(value)), `${name} for ${String(value).slice(0, 40)}`);
      }
    }
  });
});
