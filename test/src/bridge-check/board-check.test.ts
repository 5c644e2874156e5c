import { strict as assert } from 'node:assert';
import { CheckOptions } from '../../../src/bridge-check/arguments';
import { BoardCheckDependencies, runBoardCheck } from '../../../src/bridge-check/board-check';
import { FlashSummary } from '../../../src/bridge-check/report';
import { FlashError } from '../../../src/esp8266/flash-errors';
import { openLink } from '../../../src/serial/serial-link';
import { BRIDGE_HELLO, Script, ScriptedBridgeLink, cycleLine, errLine, sensorLine, tempLine } from './scripted-bridge';

const A = '28-0316a27950ff';
const B = '10-000802b4a1c3';
const PORT = '/dev/ttyUSB7';

const TWO_SENSORS = [sensorLine(A), sensorLine(B, 'DS18S20', 'parasite', 9), '{"type":"sensors","count":2}'];

const FLASHED: FlashSummary = {
  chip: 'ESP8266EX',
  mac: '18:fe:34:2d:71:16',
  flashId: '0x1640ef',
  flashSize: '4 MB',
  bytesWritten: 7120,
  durationMs: 1800,
  flashBaudRate: 460800,
  restarted: true,
};

function checkOptions(overrides: Partial<CheckOptions> = {}): CheckOptions {
  return { port: PORT, cycles: 3, flash: false, reset: 'auto', flashBaud: 460800, ...overrides };
}

interface Harness {
  deps: BoardCheckDependencies;
  link: ScriptedBridgeLink;
  progress: string[];
  opened: () => number;
}

function harness(script: Script, overrides: Partial<BoardCheckDependencies> = {}): Harness {
  const link = new ScriptedBridgeLink(PORT, script);
  const progress: string[] = [];
  let opened = 0;
  let clock = 0;
  const deps: BoardCheckDependencies = {
    environment: { packageName: 'pkg', packageVersion: '0.0.0', nodeVersion: 'v24.0.0', platform: 'linux x64' },
    openLink: async (path, baudRate) => {
      assert.equal(path, PORT);
      assert.equal(baudRate, 115200);
      opened += 1;
      await openLink(link);
      return link;
    },
    flashBridge: () => Promise.reject(new Error('this test does not flash')),
    progress: (line) => progress.push(line),
    // Every cycle "takes" 800 ms more than the previous one began.
    now: () => (clock += 400),
    commandTimeoutMs: 50,
    ...overrides,
  };
  return { deps, link, progress, opened: () => opened };
}

/** A bridge with two sensors that reads them cleanly every time. */
const healthyBridge: Script = (command) => {
  if (command === 'hello') return [BRIDGE_HELLO];
  if (command === 'scan') return TWO_SENSORS;
  if (command === 'read') return [tempLine(A, 21437), tempLine(B, -500), cycleLine(2, 0)];
  return undefined;
};

describe('bridge-check board check (scripted bridge)', () => {
  it('passes a board whose sensors all read cleanly, and reports what it found', async () => {
    const { deps, link, progress } = harness(healthyBridge);
    const report = await runBoardCheck(checkOptions(), deps);
    assert.equal(report.failure, undefined);
    assert.deepEqual(link.commands, ['hello', 'scan', 'read', 'read', 'read']);
    assert.deepEqual(report.firmware, { firmware: 'ds18b20-bridge', version: '1.0.0', protocol: 1, pin: 4 });
    assert.deepEqual(
      report.sensors.map((s) => [s.ident, s.model, s.power, s.resolution, s.clean, s.lastCelsius]),
      [
        [A, 'DS18B20', 'external', 12, 3, 21.437],
        [B, 'DS18S20', 'parasite', 9, 3, -0.5],
      ],
    );
    assert.deepEqual(report.cycleDurationsMs, [400, 400, 400]);
    assert.equal(report.flash, undefined);
    assert.equal(link.isOpen, false, 'the port is closed after the check');
    assert.ok(progress.some((line) => /read cycle 3 of 3/.test(line)));
  });

  it('counts CRC errors and power-on values per sensor; one clean read each is enough to pass', async () => {
    const reads = [
      [tempLine(A, 21437), errLine('crc', B), cycleLine(2, 1)],
      [errLine('power_on_value', A), errLine('crc', B), cycleLine(2, 2)],
      [tempLine(A, 21500), tempLine(B, 19000), cycleLine(2, 0)],
    ];
    const { deps } = harness((command, n) => (command === 'read' ? reads[n - 1] : healthyBridge(command, n)));
    const report = await runBoardCheck(checkOptions(), deps);
    assert.equal(report.failure, undefined);
    assert.deepEqual(
      report.sensors.map((s) => [s.ident, s.clean, s.crc, s.powerOn, s.other]),
      [
        [A, 2, 0, 1, 0],
        [B, 1, 2, 0, 0],
      ],
    );
    assert.deepEqual(
      report.errors.map((e) => e.count),
      [2, 1],
    );
    assert.match(report.errors[0].message, new RegExp(`^${B}: CRC error`));
    assert.match(report.errors[1].message, new RegExp(`^${A}: 85 °C power-on value`));
  });

  it('fails naming the sensor that never read cleanly', async () => {
    const { deps } = harness((command, n) =>
      command === 'read' ? [tempLine(A, 21437), errLine('no_device', B), cycleLine(2, 1)] : healthyBridge(command, n),
    );
    const report = await runBoardCheck(checkOptions(), deps);
    assert.equal(report.failure, `no clean reading from ${B}: see the per-sensor counts and errors above`);
    assert.deepEqual(
      report.sensors.map((s) => [s.ident, s.clean, s.other]),
      [
        [A, 3, 0],
        [B, 0, 3],
      ],
    );
  });

  it('fails an empty bus with wiring advice, keeping the bus errors the board reported', async () => {
    const { deps } = harness((command) => {
      if (command === 'hello') return [BRIDGE_HELLO];
      if (command === 'scan') return [errLine('no_device'), '{"type":"sensors","count":0}'];
      if (command === 'read') return [errLine('no_device'), cycleLine(0, 0)];
      return undefined;
    });
    const report = await runBoardCheck(checkOptions({ cycles: 2 }), deps);
    assert.match(report.failure ?? '', /^the bridge found no DS18B20 on GPIO4: check the wiring/);
    assert.equal(report.scanned, true);
    assert.deepEqual(report.sensors, []);
    assert.equal(report.cycleDurationsMs.length, 2);
    assert.ok(
      report.errors.some((e) => /no sensor answered on the 1-Wire bus/.test(e.message)),
      JSON.stringify(report.errors),
    );
  });

  it('tells other firmware apart by its hello, without asking again', async () => {
    const { deps, link } = harness((command) =>
      command === 'hello' ? ['{"type":"hello","firmware":"tasmota","version":"14.1","protocol":3}'] : undefined,
    );
    const report = await runBoardCheck(checkOptions(), deps);
    assert.equal(
      report.failure,
      'the board runs "tasmota" (protocol 3), not the ds18b20-bridge firmware this package speaks: write the bridge with --flash',
    );
    assert.deepEqual(link.commands, ['hello']);
    assert.equal(report.scanned, false);
  });

  it('tells a bridge speaking another protocol version apart from other firmware', async () => {
    const { deps, link } = harness((command) =>
      command === 'hello' ? ['{"type":"hello","firmware":"ds18b20-bridge","version":"2.0.0","protocol":2}'] : undefined,
    );
    const report = await runBoardCheck(checkOptions(), deps);
    assert.equal(
      report.failure,
      'the board runs ds18b20-bridge 2.0.0 speaking protocol 2, and this package speaks protocol 1: write the bundled bridge with --flash, or update the package',
    );
    assert.deepEqual(link.commands, ['hello']);
  });

  it('says the board prints other text when only non-JSON lines come back', async () => {
    const { deps } = harness((command) => (command === 'hello' ? ['Hello from my sketch!', 'temperature: 21.4'] : undefined));
    const report = await runBoardCheck(checkOptions(), deps);
    assert.match(report.failure ?? '', /prints text at 115200 baud \(6 lines\) but not as the bridge firmware: .*--flash/);
    assert.equal(report.noiseLines, 6, 'three hellos, two lines each');
  });

  it('says nobody answered when the port stays silent, after asking three times', async () => {
    const { deps, link } = harness(() => undefined);
    const report = await runBoardCheck(checkOptions(), deps);
    assert.equal(
      report.failure,
      `no answer from the board at 115200 baud on ${PORT}: check that it is the right port and that the board is powered, or write the bridge with --flash`,
    );
    assert.deepEqual(link.commands, ['hello', 'hello', 'hello']);
  });

  it('counts boot-ROM noise and malformed lines without letting them disturb the check', async () => {
    const garbage = '\u00f0\u0011~\u0000\u00d3rl\u00e2';
    const { deps } = harness((command, n) =>
      command === 'hello' ? [garbage, '', BRIDGE_HELLO, '{"type":"temp","ident":"broken"}', '{"type":"blink"}'] : healthyBridge(command, n),
    );
    const report = await runBoardCheck(checkOptions({ cycles: 1 }), deps);
    assert.equal(report.failure, undefined);
    assert.equal(report.noiseLines, 1);
    assert.equal(report.malformedLines, 2);
  });

  it("explains port errors with the serial layer's advice", async () => {
    const denied = Object.assign(new Error('Error: Permission denied, cannot open /dev/ttyUSB7'), { code: 'EACCES' });
    const busy = new Error('Error Resource temporarily unavailable Cannot lock port');
    for (const [error, expected] of [
      [denied, /no permission to open \/dev\/ttyUSB7: add .* "dialout" group/],
      [busy, /another program holds \/dev\/ttyUSB7/],
    ] as const) {
      const { deps } = harness(healthyBridge, { openLink: () => Promise.reject(error) });
      const report = await runBoardCheck(checkOptions(), deps);
      assert.match(report.failure ?? '', expected);
    }
  });

  it('stops with a clear reason when the port goes away during a read', async () => {
    const h = harness((command, n) => {
      if (command === 'read' && n === 2) {
        setImmediate(() => h.link.vanish());
        return undefined;
      }
      return healthyBridge(command, n);
    });
    const report = await runBoardCheck(checkOptions(), h.deps);
    assert.equal(report.failure, `the port ${PORT} went away during the check (unplugged?)`);
    assert.equal(report.cycleDurationsMs.length, 1);
  });

  it('reports what the flash learnt, then checks the bridge it wrote', async () => {
    const flashed: CheckOptions[] = [];
    const { deps, progress } = harness(healthyBridge, {
      flashBridge: async (options, onProgress) => {
        flashed.push(options);
        for (const percent of [15, 16, 19, 50, 51]) onProgress({ phase: 'writing', percent });
        onProgress({ phase: 'done', percent: 100 });
        return FLASHED;
      },
    });
    const report = await runBoardCheck(checkOptions({ flash: true, flashBaud: 230400 }), deps);
    assert.equal(report.failure, undefined);
    assert.equal(flashed[0].flashBaud, 230400);
    assert.deepEqual(report.flash, FLASHED);
    assert.deepEqual(progress.slice(0, 3), [
      'flashing the bridge firmware: writing (15%)',
      'flashing the bridge firmware: writing (50%)',
      'flashing the bridge firmware: done (100%)',
    ]);
  });

  it('after a write without DTR/RTS, asks for RESET and waits for the bridge to start', async () => {
    const { deps, link, progress } = harness((command, n) => (command === 'hello' && n < 5 ? undefined : healthyBridge(command, n)), {
      flashBridge: async () => ({ ...FLASHED, restarted: false }),
      resetWaitMs: 500,
    });
    const report = await runBoardCheck(checkOptions({ flash: true, reset: 'none', cycles: 1 }), deps);
    assert.equal(report.failure, undefined);
    assert.ok(progress.includes('the bridge is written: press RESET on the board now (waiting for it to start)'), progress.join('\n'));
    assert.deepEqual(link.commands.filter((c) => c === 'hello').length, 5);
  });

  it('says to press RESET when the written bridge never starts', async () => {
    const { deps } = harness(() => undefined, { flashBridge: async () => ({ ...FLASHED, restarted: false }), resetWaitMs: 200 });
    const report = await runBoardCheck(checkOptions({ flash: true, reset: 'none' }), deps);
    assert.match(report.failure ?? '', /did not start the bridge after the write: press RESET/);
    assert.deepEqual(report.flash, { ...FLASHED, restarted: false });
  });

  it("turns the flasher's advice for a port without DTR/RTS into the option to use", async () => {
    const { deps } = harness(healthyBridge, {
      flashBridge: () => Promise.reject(new FlashError('no-control-lines', 'the device node advice')),
    });
    const report = await runBoardCheck(checkOptions({ flash: true }), deps);
    assert.equal(
      report.failure,
      `${PORT} has no DTR/RTS control lines: hold FLASH/BOOT while pressing RESET on the board, then run again with --flash --reset none`,
    );
  });

  it("ends with the flasher's own advice when the flash fails, without opening the port again", async () => {
    const h = harness(healthyBridge, {
      flashBridge: () =>
        Promise.reject(
          new FlashError(
            'no-answer',
            'no answer from the ESP8266 boot ROM on /dev/ttyUSB7: hold BOOT/FLASH while pressing RESET, or check the cable',
          ),
        ),
    });
    const report = await runBoardCheck(checkOptions({ flash: true }), h.deps);
    assert.match(report.failure ?? '', /^no answer from the ESP8266 boot ROM/);
    assert.equal(h.opened(), 0);
    assert.equal(report.flash, undefined);
  });
});
