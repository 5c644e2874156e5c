import { strict as assert } from 'assert';
import { SimulatedSensor } from '../../../../src/sim/bridge/simulated-sensor';
import { decodeScratchpad } from '../../../../src/onewire/scratchpad';
import { hasValidCrc } from '../../../../src/onewire/crc8';

function decode(sensor: SimulatedSensor) {
  return decodeScratchpad(sensor.family, sensor.scratchpad());
}

describe('simulated DS18B20 sensor', () => {
  it('starts with the power-on scratchpad until the first conversion', () => {
    const sensor = new SimulatedSensor({ ident: '28-0316a27950ff', temperature: 20 });
    const before = decode(sensor);
    assert.ok(before.ok && before.powerOnPattern);
    sensor.convert(0);
    const after = decode(sensor);
    assert.ok(after.ok && !after.powerOnPattern && after.millidegrees === 20000);
    assert.equal(hasValidCrc(sensor.scratchpad()), true);
  });

  it('quantises to its resolution and encodes DS18S20 extended resolution', () => {
    const b20 = new SimulatedSensor({ ident: '28-0316a27950ff', temperature: 21.4375, resolution: 9 });
    b20.convert(0);
    assert.equal((decode(b20) as { millidegrees: number }).millidegrees, 21000);
    for (const celsius of [25, 25.5, -0.25, -10.125, 84.75]) {
      const s20 = new SimulatedSensor({ ident: '10-000802b4a1c3', temperature: celsius });
      s20.convert(0);
      const result = decode(s20);
      assert.ok(result.ok && !result.powerOnPattern, `${celsius}`);
      assert.equal(result.millidegrees, Math.round(celsius * 1000 / 62.5) * 62.5, `${celsius}`);
    }
  });

  it('drifts with board time within -55..125 °C', () => {
    const sensor = new SimulatedSensor({ ident: '28-0316a27950ff', temperature: 120, drift: 6 });
    assert.equal(sensor.temperatureAt(1000), 120);
    assert.equal(sensor.temperatureAt(1000 + 30000), 123);
    assert.equal(sensor.temperatureAt(1000 + 600000), 125);
  });

  it('shapes faults like the hardware: CRC, power-on, all ones, all zeros', () => {
    const sensor = new SimulatedSensor({ ident: '28-0316a27950ff', fault: 'crc' });
    sensor.convert(0);
    assert.deepEqual(pick(decode(sensor)), 'crc');
    sensor.fault = 'power_on';
    sensor.convert(0);
    const powerOn = decode(sensor);
    assert.ok(powerOn.ok && powerOn.powerOnPattern);
    sensor.fault = 'vanished';
    assert.equal(sensor.present, false);
    assert.deepEqual(pick(decode(sensor)), 'no_device');
    sensor.fault = 'stuck_low';
    assert.deepEqual(pick(decode(sensor)), 'bus_short');
  });

  it('refuses ids of families that are not thermometers', () => {
    assert.throws(() => new SimulatedSensor({ ident: '01-000000000001' }), /not a thermometer/);
  });
});

function pick(result: ReturnType<typeof decodeScratchpad>): string {
  return result.ok ? 'ok' : result.code;
}
