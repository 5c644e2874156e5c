import { strict as assert } from 'assert';
import { calibratedCelsius, presentReading } from '../../../src/readings/calibration';

const A = '28-0316a27950ff';
const reading = { ident: A, timestamp: 1, temperature: 21.4375, resolution: 12 };

describe('readings: calibration and presentation', () => {
  it('adds the offset in °C before converting to °F and keeps the raw value in the same unit', () => {
    const celsius = calibratedCelsius(21.4375, -0.5);
    assert.equal(celsius, 20.9375);
    assert.deepEqual(presentReading(reading, celsius, -0.5, { unit: 'C', decimals: null }), {
      ...reading,
      temperature: 20.9375,
      rawTemperature: 21.4375,
    });
    const f = presentReading(reading, celsius, -0.5, { unit: 'F', decimals: null });
    assert.equal(f.temperature, 69.6875);
    assert.equal(f.rawTemperature, 70.5875);
  });

  it('rounds after offset and unit, and leaves rawTemperature out when there is no offset', () => {
    const rounded = presentReading(reading, calibratedCelsius(21.4375, 0.1), 0.1, { unit: 'C', decimals: 1 });
    assert.equal(rounded.temperature, 21.5);
    assert.equal(rounded.rawTemperature, 21.4375);
    const plain = presentReading(reading, 21.4375, 0, { unit: 'F', decimals: 0 });
    assert.equal(plain.temperature, 71);
    assert.equal('rawTemperature' in plain, false);
  });
});
