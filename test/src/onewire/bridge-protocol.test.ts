import { strict as assert } from 'assert';
import fc from 'fast-check';
import { BridgeEvent, isBridgeHello, parseBridgeLine } from '../../../src/onewire/bridge-protocol';

const HELLO =
  '{"type":"hello","firmware":"ds18b20-bridge","version":"1.0.0","protocol":1,"pin":4,"interval":0,"resolution":0,"max_sensors":16}';

function event(line: string): BridgeEvent {
  const parsed = parseBridgeLine(line);
  assert.equal(parsed.kind, 'event', JSON.stringify(parsed));
  return (parsed as { event: BridgeEvent }).event;
}

function errorKind(line: string): string {
  const parsed = parseBridgeLine(line);
  return parsed.kind === 'error' ? parsed.error.kind : parsed.kind;
}

describe('onewire bridge line protocol parser', () => {
  it('parses every line of PROTOCOL.md section 5', () => {
    const hello = event(HELLO);
    assert.deepEqual(hello, {
      type: 'hello',
      firmware: 'ds18b20-bridge',
      version: '1.0.0',
      protocol: 1,
      pin: 4,
      interval: 0,
      resolution: 0,
      maxSensors: 16,
    });
    assert.equal(isBridgeHello(hello), true);
    assert.deepEqual(event('{"type":"sensor","ident":"28-0316a27950ff","model":"DS18B20","power":"external","resolution":12}'), {
      type: 'sensor',
      ident: '28-0316a27950ff',
      model: 'DS18B20',
      power: 'external',
      resolution: 12,
    });
    assert.deepEqual(event('{"type":"sensors","count":2}'), { type: 'sensors', count: 2 });
    assert.deepEqual(event('{"type":"temp","ident":"28-0316a27950ff","millicelsius":21437,"resolution":12,"power":"external"}'), {
      type: 'temp',
      ident: '28-0316a27950ff',
      millicelsius: 21437,
      resolution: 12,
      power: 'external',
    });
    assert.deepEqual(event('{"type":"cycle","trigger":"read","count":2,"errors":1}'), {
      type: 'cycle',
      trigger: 'read',
      count: 2,
      errors: 1,
    });
    assert.deepEqual(event('{"type":"err","code":"crc","ident":"10-000802b4a1c3"}'), {
      type: 'err',
      code: 'crc',
      ident: '10-000802b4a1c3',
    });
    assert.deepEqual(event('{"type":"err","code":"bad_argument","command":"interval"}'), {
      type: 'err',
      code: 'bad_argument',
      command: 'interval',
    });
    assert.deepEqual(event('{"type":"ok","command":"res","resolution":10}'), { type: 'ok', command: 'res', resolution: 10 });
    assert.deepEqual(event('{"type":"ok","command":"interval","interval":5000}\r'), { type: 'ok', command: 'interval', interval: 5000 });
  });

  it('reads the MAC a 1.1.0 hello ends with, and refuses one not written as aa:bb:cc:dd:ee:ff', () => {
    const hello = event(`${HELLO.slice(0, -1)},"mac":"18:fe:34:a1:b2:5c"}`);
    assert.equal(hello.type === 'hello' && hello.mac, '18:fe:34:a1:b2:5c');
    assert.equal(isBridgeHello(hello), true);
    assert.equal('mac' in event(HELLO), false, 'a 1.0.0 hello has none');
    assert.equal(errorKind(`${HELLO.slice(0, -1)},"mac":"18FE34A1B25C"}`), 'wrong_type');
  });

  it('tells other firmware and other protocol versions from the bridge', () => {
    assert.equal(isBridgeHello(event('{"type":"hello","firmware":"tasmota","version":"9","protocol":1}')), false);
    assert.equal(isBridgeHello(event('{"type":"hello","firmware":"ds18b20-bridge","version":"2.0.0","protocol":2}')), false);
  });

  it('skips boot-ROM garbage and other text as noise', () => {
    for (const line of ['', ' ets Jan  8 2013,rst cause:2, boot mode:(3,6)', '\u0000\u00ff\u00fe~ld', 'load 0x4010f000, len 1384']) {
      assert.equal(parseBridgeLine(line).kind, 'noise');
    }
  });

  it('returns typed errors for invalid JSON, non-objects, wrong types and unknown events', () => {
    assert.equal(errorKind('{"type":"temp",'), 'invalid_json');
    assert.equal(errorKind('{not json}'), 'invalid_json');
    assert.equal(errorKind('{}'), 'wrong_type');
    assert.equal(errorKind('{"type":7}'), 'wrong_type');
    assert.equal(
      errorKind('{"type":"temp","ident":"28-0316a27950ff","millicelsius":"21437","resolution":12,"power":"external"}'),
      'wrong_type',
    );
    assert.equal(
      errorKind('{"type":"temp","ident":"28-0316a27950ff","millicelsius":21.4,"resolution":12,"power":"external"}'),
      'wrong_type',
    );
    assert.equal(errorKind('{"type":"temp","ident":"bogus","millicelsius":21437,"resolution":12,"power":"external"}'), 'wrong_type');
    assert.equal(errorKind('{"type":"sensor","ident":"28-0316a27950ff","model":"DS18B20","power":"solar","resolution":12}'), 'wrong_type');
    assert.equal(errorKind('{"type":"cycle","trigger":"timer","count":1,"errors":0}'), 'wrong_type');
    assert.equal(errorKind('{"type":"ok","command":"res","resolution":null}'), 'wrong_type');
    assert.equal(errorKind('{"type":"weather","sky":"blue"}'), 'unknown_event');
    assert.equal(errorKind('{"type":"__proto__"}'), 'unknown_event');
    assert.equal(errorKind('{"type":"toString"}'), 'unknown_event');
  });

  it('ignores unknown extra keys, as the protocol asks', () => {
    assert.deepEqual(event('{"type":"sensors","count":1,"bus":"gpio4"}'), { type: 'sensors', count: 1 });
  });

  it('rejects oversized lines with a bounded excerpt', () => {
    const long = '{"type":"sensors","count":1,"pad":"' + 'x'.repeat(300) + '"}';
    const parsed = parseBridgeLine(long);
    assert.ok(parsed.kind === 'error' && parsed.error.kind === 'line_too_long' && parsed.error.excerpt.length <= 60);
  });

  it('never throws and always returns one of its three kinds (fuzz)', () => {
    const json = fc.oneof(
      fc.string({ unit: 'binary', maxLength: 300 }),
      fc.jsonValue({ maxDepth: 3 }).map((v) => JSON.stringify(v)),
      fc
        .record(
          {
            type: fc.constantFrom('hello', 'sensor', 'sensors', 'temp', 'cycle', 'err', 'ok', 'x'),
            ident: fc.oneof(fc.constant('28-0316a27950ff'), fc.string(), fc.integer()),
            millicelsius: fc.oneof(fc.integer(), fc.double(), fc.string()),
            count: fc.oneof(fc.nat(), fc.constant(null)),
            power: fc.constantFrom('external', 'parasite', 3),
            resolution: fc.integer({ min: 8, max: 13 }),
            code: fc.string({ maxLength: 10 }),
          },
          { requiredKeys: ['type'] },
        )
        .map((v) => JSON.stringify(v)),
    );
    fc.assert(
      fc.property(json, (line) => {
        const parsed = parseBridgeLine(line);
        assert.ok(['event', 'noise', 'error'].includes(parsed.kind));
        if (parsed.kind === 'error') assert.ok(parsed.error.excerpt.length <= 60 && parsed.error.message.length > 0);
      }),
      { numRuns: 2000 },
    );
  });
});
