import { strict as assert } from 'assert';
import fc from 'fast-check';
import { parseIntegerFile, parseMasterSlaves, parseW1Slave } from '../../../src/onewire/w1-format';

describe('onewire w1 sysfs text formats', () => {
  it('parses the w1_slave example of the kernel documentation', () => {
    assert.deepEqual(parseW1Slave('72 01 4b 46 7f ff 0e 10 57 : crc=57 YES\n72 01 4b 46 7f ff 0e 10 57 t=23125\n'), {
      scratchpad: [0x72, 0x01, 0x4b, 0x46, 0x7f, 0xff, 0x0e, 0x10, 0x57],
      crcOk: true,
      millidegrees: 23125,
    });
  });

  it('keeps crc=NO and negative t= values', () => {
    const parsed = parseW1Slave('6f fe 4b 46 7f ff 01 10 00 : crc=00 NO\n6f fe 4b 46 7f ff 01 10 00 t=-25062\n');
    assert.ok(!('error' in parsed) && parsed.crcOk === false && parsed.millidegrees === -25062);
  });

  it('refuses truncated or foreign text', () => {
    assert.ok('error' in parseW1Slave(''));
    assert.ok('error' in parseW1Slave('72 01 4b 46 7f ff 0e 10 57 : crc=57 YES\n'));
    assert.ok('error' in parseW1Slave('72 01 4b : crc=57 YES\n72 01 4b t=1\n'));
  });

  it('parses integer attributes and master slave lists', () => {
    assert.equal(parseIntegerFile('12\n'), 12);
    assert.equal(parseIntegerFile('-10125\n'), -10125);
    assert.equal(parseIntegerFile('12abc'), null);
    assert.deepEqual(parseMasterSlaves('28-0316a27950ff\n10-000802B4A1C3\n'), ['28-0316a27950ff', '10-000802b4a1c3']);
    assert.deepEqual(parseMasterSlaves('not found.\n'), []);
  });

  it('never throws on arbitrary file contents (fuzz)', () => {
    const nearly = fc
      .tuple(fc.array(fc.integer({ min: 0, max: 255 }), { minLength: 9, maxLength: 9 }), fc.integer(), fc.boolean())
      .map(([bytes, t, ok]) => {
        const hex = bytes.map((b) => b.toString(16).padStart(2, '0')).join(' ') + ' ';
        return `${hex}: crc=${hex.slice(24, 26)} ${ok ? 'YES' : 'NO'}\n${hex}t=${t}\n`;
      });
    fc.assert(
      fc.property(fc.oneof(fc.string({ unit: 'binary', maxLength: 200 }), nearly), (text) => {
        const parsed = parseW1Slave(text);
        if (!('error' in parsed)) {
          assert.equal(parsed.scratchpad.length, 9);
          assert.ok(Number.isInteger(parsed.millidegrees));
        }
        const n = parseIntegerFile(text);
        assert.ok(n === null || Number.isInteger(n));
        assert.ok(parseMasterSlaves(text).every((id) => /^[0-9a-f]{2}-[0-9a-f]{12}$/.test(id)));
      }),
      { numRuns: 1000 },
    );
  });
});
