import { strict as assert } from 'assert';
import { celsiusToFahrenheit, readingFromMillidegrees } from '../../../src/onewire/reading';

const ID = '28-0316a27950ff';

function code(outcome: ReturnType<typeof readingFromMillidegrees>): string {
  return outcome.ok ? 'ok' : outcome.error.code;
}

describe('onewire reading model and quality', () => {
  it('builds the reading shape with seconds and degrees', () => {
    const outcome = readingFromMillidegrees(ID, 21437, { timestamp: 1764000000.123, resolution: 12, power: 'external' });
    assert.ok(outcome.ok);
    assert.deepEqual(outcome.reading, {
      ident: ID,
      timestamp: 1764000000.123,
      temperature: 21.437,
      resolution: 12,
      power: 'external',
    });
  });

  it('never turns the 85 °C power-on value into a temperature when the source cannot tell', () => {
    assert.equal(code(readingFromMillidegrees(ID, 85000, { timestamp: 1 })), 'power_on_value');
    assert.equal(code(readingFromMillidegrees(ID, 85000, { timestamp: 1, powerOnPattern: true })), 'power_on_value');
    assert.equal(code(readingFromMillidegrees(ID, 85000, { timestamp: 1, powerOnPattern: false })), 'ok');
  });

  it('rejects values outside -55..125 °C and non-integers, keeping the limits themselves', () => {
    assert.equal(code(readingFromMillidegrees(ID, 125001, { timestamp: 1 })), 'out_of_range');
    assert.equal(code(readingFromMillidegrees(ID, -127000, { timestamp: 1 })), 'out_of_range');
    assert.equal(code(readingFromMillidegrees(ID, 125000, { timestamp: 1 })), 'ok');
    assert.equal(code(readingFromMillidegrees(ID, -55000, { timestamp: 1 })), 'ok');
    assert.equal(code(readingFromMillidegrees(ID, 1.5, { timestamp: 1 })), 'bad_data');
  });

  it('carries the sensor id in the error message', () => {
    const outcome = readingFromMillidegrees(ID, 130000, { timestamp: 1 });
    assert.ok(!outcome.ok && outcome.error.message.startsWith(ID) && outcome.error.ident === ID);
  });

  it('converts to Fahrenheit without float noise', () => {
    assert.equal(celsiusToFahrenheit(0), 32);
    assert.equal(celsiusToFahrenheit(-40), -40);
    assert.equal(celsiusToFahrenheit(21.0625), 69.9125);
  });
});
