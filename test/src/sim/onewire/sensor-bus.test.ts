import { strict as assert } from 'assert';
import { SensorBus, DEFAULT_SENSORS } from '../../../../src/sim/onewire/sensor-bus';
import { FirmwareGpioMaster } from './gpio-master';
import { readLikeFirmware } from './firmware-reader';

const A = '28-0316a27950ff';
const B = '10-000802b4a1c3';

describe('virtual board sensor line', () => {
  it('carries the default sensors, or the ones given, on its electrical line', () => {
    assert.deepEqual(
      new SensorBus().sensors.map((s) => s.ident),
      DEFAULT_SENSORS.map((s) => s.ident),
    );
    const bus = new SensorBus({ sensors: [{ ident: A }, { ident: B, power: 'parasite' }] });
    assert.deepEqual(
      bus.line.devices,
      bus.sensors.map((s) => s.part),
    );
    assert.deepEqual(
      bus.sensors.map((s) => s.ident),
      [A, B],
    );
    assert.throws(() => bus.add({ ident: A }), /already on the bus/);
  });

  it('a part read through the line gives its temperature; crc noise and a vanished part show on the wire', () => {
    const bus = new SensorBus({
      sensors: [
        { ident: A, temperature: 21.5 },
        { ident: B, temperature: -4.5, power: 'parasite' },
      ],
    });
    const first = readLikeFirmware(new FirmwareGpioMaster(bus.line));
    assert.deepEqual(
      first.map((r) => r.result.ok && r.result.millidegrees),
      [-4500, 21500],
    );

    bus.setFault(A, 'crc');
    bus.setFault(B, 'vanished');
    const master = new FirmwareGpioMaster(bus.line);
    master.cycle = 60e6; // the line's time goes on
    const second = readLikeFirmware(master);
    assert.equal(second.length, 1, 'the vanished part no longer answers the search');
    assert.equal(second[0].result.ok === false && second[0].result.code, 'crc');

    bus.setFault(B, 'none');
    assert.equal(bus.line.devices.length, 2, 'plugged back in');
  });

  it('flips a bit of the next scratchpads while corruptReads lasts', () => {
    const bus = new SensorBus({ sensors: [{ ident: A, temperature: 10, corruptReads: 1 }] });
    const master = new FirmwareGpioMaster(bus.line);
    assert.equal(readLikeFirmware(master)[0].result.ok, false);
    master.cycle += 52e6;
    assert.equal(readLikeFirmware(master)[0].result.ok, true);
  });

  it('moves a drifting temperature with wall time, and a shorted line is the line shorted', () => {
    const bus = new SensorBus({ sensors: [{ ident: A, temperature: 20, drift: 6 }] });
    const sensor = bus.sensor(A);
    bus.tick(1000);
    bus.tick(1000 + 30_000);
    assert.equal(sensor.part.celsius, 23);
    sensor.setTemperature(-5, 40_000);
    bus.tick(40_000 + 60_000);
    assert.equal(sensor.part.celsius, 1);
    bus.shorted = true;
    assert.equal(bus.line.shorted, true);
  });
});
