import { strict as assert } from 'assert';
import { afterRomClocks } from '../../../../src/sim/peripherals/clocks';
import { createPeripherals } from '../../../../src/sim/peripherals/peripheral-set';

describe('virtual ESP8266 peripheral set', () => {
  it('maps UART0, GPIO, IO_MUX and the watchdog at their addresses, without overlaps', () => {
    const set = createPeripherals({ clocks: afterRomClocks(), transmit: () => undefined });
    const byName = new Map(set.mappings.map((m) => [m.device.name, m.base]));
    assert.equal(byName.get('UART0'), 0x60000000);
    assert.equal(byName.get('GPIO'), 0x60000300);
    assert.equal(byName.get('IO_MUX'), 0x60000800);
    assert.equal(byName.get('WDT'), 0x60000900);
    const sorted = set.mappings.slice().sort((a, b) => a.base - b.base);
    sorted.slice(1).forEach((m, i) => assert.ok(m.base >= sorted[i].base + sorted[i].size, `${m.device.name} overlaps`));
  });

  it('reports each unmodelled address once, naming its block', () => {
    const reported: string[] = [];
    const set = createPeripherals({ clocks: afterRomClocks(), transmit: () => undefined, report: (m) => reported.push(m) });
    const frc = set.mappings.find((m) => m.device.name === 'FRC');
    assert.ok(frc);
    assert.equal(frc.device.read32(0x04, 0), 0);
    frc.device.write32(0x04, 7, 0);
    frc.device.write32(0x08, 7, 0);
    assert.deepEqual(reported, ['unmodelled read of FRC register 0x60000604', 'unmodelled write of 0x7 to FRC register 0x60000608']);
    assert.equal(set.unmodelled.has(0x60000604), true);
  });
});
