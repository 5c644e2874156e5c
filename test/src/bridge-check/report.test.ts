import { strict as assert } from 'node:assert';
import { CheckReport, formatReport } from '../../../src/bridge-check/report';

const A = '28-0316a27950ff';
const B = '10-000802b4a1c3';

function baseReport(overrides: Partial<CheckReport> = {}): CheckReport {
  return {
    packageName: '@ds18b20-flespi/node-red-esp8266-flespi',
    packageVersion: '1.2.3',
    nodeVersion: 'v24.1.0',
    platform: 'linux arm64',
    port: '/dev/ttyUSB0',
    firmware: { firmware: 'ds18b20-bridge', version: '1.0.0', protocol: 1, pin: 4 },
    sensors: [
      { ident: A, model: 'DS18B20', power: 'external', resolution: 12, clean: 5, crc: 0, powerOn: 0, other: 0, lastCelsius: 21.4375 },
      { ident: B, model: 'DS18S20', power: 'parasite', resolution: 9, clean: 3, crc: 1, powerOn: 1, other: 0, lastCelsius: -0.5 },
    ],
    scanned: true,
    cyclesAsked: 5,
    cycleDurationsMs: [812, 790, 830, 801, 805],
    noiseLines: 2,
    malformedLines: 1,
    errors: [
      { message: `${B}: CRC error reading the sensor`, count: 1 },
      { message: `${B}: 85 °C power-on value`, count: 1 },
    ],
    ...overrides,
  };
}

/** The value printed after a label (labels are padded to one column). */
function valueOf(text: string, label: string): string {
  const line = text.split('\n').find((l) => l.startsWith(`${label} `));
  assert.ok(line, `the report has a "${label}" line:\n${text}`);
  return line.slice(label.length).trim();
}

describe('bridge-check report', () => {
  it('prints everything a bug report needs, one fact per line', () => {
    const text = formatReport(
      baseReport({
        flash: {
          chip: 'ESP8266EX',
          mac: '18:fe:34:2d:71:16',
          flashId: '0x1640ef',
          flashSize: '4 MB',
          bytesWritten: 7120,
          durationMs: 1870,
          flashBaudRate: 460800,
          restarted: true,
        },
      }),
    );
    assert.match(text, /^esp8266-bridge-check report\n/);
    assert.equal(valueOf(text, 'package'), '@ds18b20-flespi/node-red-esp8266-flespi 1.2.3');
    assert.equal(valueOf(text, 'node'), 'v24.1.0 (linux arm64)');
    assert.equal(valueOf(text, 'port'), '/dev/ttyUSB0');
    assert.equal(valueOf(text, 'chip'), 'ESP8266EX');
    assert.equal(valueOf(text, 'mac'), '18:fe:34:2d:71:16');
    assert.equal(valueOf(text, 'flash id'), '0x1640ef (4 MB)');
    assert.equal(valueOf(text, 'flashed'), 'wrote 7120 bytes in 1.9 s at 460800 baud, restarted by DTR/RTS');
    assert.equal(valueOf(text, 'firmware'), 'ds18b20-bridge 1.0.0 (protocol 1, 1-Wire on GPIO4)');
    assert.equal(valueOf(text, 'sensors'), '2 found');
    assert.match(text, new RegExp(`\\n {13}${A}  DS18B20 \\(family 0x28\\), external power, 12 bit\\n`));
    assert.match(text, new RegExp(`\\n {13}${B}  DS18S20 \\(family 0x10\\), parasite power, 9 bit\\n`));
    assert.equal(valueOf(text, 'cycles'), '5 of 5 run');
    assert.equal(valueOf(text, 'cycle time'), 'min 790 ms, median 805 ms, max 830 ms');
    assert.equal(valueOf(text, 'per sensor'), 'ident            clean  crc  power-on  other  last');
    assert.match(text, new RegExp(`\\n {13}${A}  5/5    0    0         0      21.4375 °C\\n`));
    assert.match(text, new RegExp(`\\n {13}${B}  3/5    1    1         0      -0.5 °C\\n`));
    assert.equal(
      valueOf(text, 'serial noise'),
      '2 lines of non-JSON text skipped (boot ROM output is normal), 1 malformed or unknown line',
    );
    assert.equal(valueOf(text, 'errors seen'), `1× ${B}: CRC error reading the sensor`);
    assert.match(text, new RegExp(`\\n {13}1× ${B}: 85 °C power-on value\\n`));
    assert.equal(valueOf(text, 'result'), 'PASS: the board answered and every sensor read cleanly at least once');
    assert.ok(text.endsWith('\n'));
  });

  it('says how to get chip, MAC and flash id when the board was not flashed', () => {
    const text = formatReport(baseReport());
    assert.match(valueOf(text, 'flashed'), /^not flashed \(run with --flash/);
    assert.doesNotMatch(text, /^(chip|mac|flash id) /m);
  });

  it('ends a failed check with its reason and leaves out the sections it never reached', () => {
    const text = formatReport(
      baseReport({
        firmware: undefined,
        sensors: [],
        scanned: false,
        cycleDurationsMs: [],
        noiseLines: 1,
        malformedLines: 0,
        errors: [],
        failure: 'no answer from the board at 115200 baud on /dev/ttyUSB0',
      }),
    );
    assert.equal(valueOf(text, 'firmware'), 'no bridge answered');
    assert.doesNotMatch(text, /^(sensors|cycles|cycle time|per sensor) /m);
    assert.equal(
      valueOf(text, 'serial noise'),
      '1 line of non-JSON text skipped (boot ROM output is normal), 0 malformed or unknown lines',
    );
    assert.equal(valueOf(text, 'errors seen'), 'none');
    assert.equal(valueOf(text, 'result'), 'FAIL: no answer from the board at 115200 baud on /dev/ttyUSB0');
  });

  it('shows an empty bus and cycles that never completed', () => {
    const text = formatReport(baseReport({ sensors: [], cycleDurationsMs: [], failure: 'the bridge found no DS18B20 on GPIO4' }));
    assert.equal(valueOf(text, 'sensors'), 'none found');
    assert.equal(valueOf(text, 'cycles'), '0 of 5 run');
    assert.equal(valueOf(text, 'cycle time'), 'no cycle completed');
    assert.doesNotMatch(text, /^per sensor /m);
    assert.equal(valueOf(text, 'result'), 'FAIL: the bridge found no DS18B20 on GPIO4');
  });

  it('shows a sensor that never read cleanly with a dash for its temperature', () => {
    const text = formatReport(
      baseReport({
        sensors: [{ ident: A, model: 'DS18B20', power: 'external', resolution: 12, clean: 0, crc: 0, powerOn: 0, other: 5 }],
      }),
    );
    assert.match(text, new RegExp(`\\n {13}${A}  0/5    0    0         5      -\\n`));
  });
});
