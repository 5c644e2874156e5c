import { strict as assert } from 'assert';
import { decodeScratchpad } from '../../../../src/onewire/scratchpad';
import { MODEL_FAMILY, ThermometerMemory, ThermometerModel } from '../../../../src/sim/onewire/thermometer-memory';

function decoded(memory: ThermometerMemory): number {
  const result = decodeScratchpad(MODEL_FAMILY[memory.model], memory.scratchpad());
  assert.ok(result.ok, JSON.stringify(result));
  return result.millidegrees;
}

describe('thermometer scratchpad and EEPROM', () => {
  it('converts to what the decoder reads back, for each model', () => {
    const cases: Array<[ThermometerModel, number, number]> = [
      ['DS18B20', 21.5, 21500],
      ['DS18B20', -10.125, -10125],
      ['DS18B20', 125, 125000],
      ['DS18B20', 200, 125000], // clamped to the part's range
      ['DS1822', -55, -55000],
      ['DS18S20', 23.75, 23750],
      ['DS18S20', -0.5, -500],
      ['DS18S20', 24.3125, 24312],
    ];
    for (const [model, celsius, millidegrees] of cases) {
      const memory = new ThermometerMemory(model);
      memory.convert(celsius);
      assert.equal(decoded(memory), millidegrees, `${model} ${celsius} °C`);
    }
  });

  it('keeps only R1 R0 of a written configuration, and none on the DS18S20', () => {
    const b20 = new ThermometerMemory('DS18B20');
    b20.write(2, 0xa0);
    assert.equal(b20.scratchpad()[4], 0x3f);
    assert.equal(b20.resolution, 10);
    assert.equal(b20.conversionUs, 187_500);
    const s20 = new ThermometerMemory('DS18S20');
    s20.write(2, 0x1f);
    assert.equal(s20.scratchpad()[4], 0xff);
    assert.equal(s20.writableBytes, 2);
    assert.equal(s20.conversionUs, 750_000);
  });

  it('raises the alarm flag at or beyond TH and TL, on whole degrees', () => {
    const memory = new ThermometerMemory('DS18B20', { th: 30, tl: 0xfb /* -5 */, config: 0x7f });
    const flags = [29.9375, 30, -4.9375, -5, 10].map((c) => {
      memory.convert(c);
      return memory.alarm;
    });
    assert.deepEqual(flags, [false, true, true, true, false]);
  });
});
