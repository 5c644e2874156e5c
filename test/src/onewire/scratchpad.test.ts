import { strict as assert } from 'assert';
import { crc8 } from '../../../src/onewire/crc8';
import { configForResolution, decodeScratchpad, resolutionFromConfig } from '../../../src/onewire/scratchpad';

function pad(raw: number, config = 0x7f, byte6 = 0x10, byte7 = 0x10): number[] {
  const body = [raw & 0xff, (raw >> 8) & 0xff, 0x4b, 0x46, config, 0xff, byte6, byte7];
  return [...body, crc8(body)];
}

function millidegrees(result: ReturnType<typeof decodeScratchpad>): number {
  assert.ok(result.ok, JSON.stringify(result));
  return result.millidegrees;
}

describe('onewire scratchpad decoding', () => {
  // DS18B20 data sheet, table "Temperature/Data Relationship" (12-bit).
  const table: Array<[number, number]> = [
    [0x07d0, 125000],
    [0x0550, 85000],
    [0x0191, 25062],
    [0x00a2, 10125],
    [0x0008, 500],
    [0x0000, 0],
    [0xfff8, -500],
    [0xff5e, -10125],
    [0xfe6f, -25062],
    [0xfc90, -55000],
  ];
  for (const [raw, expected] of table) {
    it(`decodes DS18B20 0x${raw.toString(16).padStart(4, '0')} as ${expected} m°C (Linux truncation)`, () => {
      assert.equal(millidegrees(decodeScratchpad(0x28, pad(raw))), expected);
    });
  }

  it('decodes the w1_therm documentation example 72 01 ... 57 as 23125', () => {
    const result = decodeScratchpad(0x28, [0x72, 0x01, 0x4b, 0x46, 0x7f, 0xff, 0x0e, 0x10, 0x57]);
    assert.equal(millidegrees(result), 23125);
    assert.ok(result.ok && result.resolution === 12 && !result.powerOnPattern);
  });

  it('recognises the DS18B20 power-on scratchpad 50 05 4B 46 7F FF 0C 10 1C', () => {
    const result = decodeScratchpad(0x28, [0x50, 0x05, 0x4b, 0x46, 0x7f, 0xff, 0x0c, 0x10, 0x1c]);
    assert.ok(result.ok && result.millidegrees === 85000 && result.powerOnPattern);
  });

  it('treats a converted 85 °C (byte 6 = 0x10) as a real temperature', () => {
    const result = decodeScratchpad(0x28, pad(0x0550, 0x7f, 0x10));
    assert.ok(result.ok && !result.powerOnPattern);
  });

  it('drops the undefined low bits at 9, 10 and 11 bits', () => {
    assert.equal(millidegrees(decodeScratchpad(0x28, pad(0x0197, 0x1f))), 25000);
    assert.equal(millidegrees(decodeScratchpad(0x28, pad(0x0197, 0x3f))), 25250);
    assert.equal(millidegrees(decodeScratchpad(0x28, pad(0x0197, 0x5f))), 25375);
    assert.equal(millidegrees(decodeScratchpad(0x28, pad(0xff5f, 0x1f))), -10500);
  });

  it('maps config bytes to resolutions and back', () => {
    assert.deepEqual([0x1f, 0x3f, 0x5f, 0x7f].map(resolutionFromConfig), [9, 10, 11, 12]);
    assert.deepEqual([9, 10, 11, 12].map(configForResolution), [0x1f, 0x3f, 0x5f, 0x7f]);
    assert.throws(() => configForResolution(13), /9\.\.12/);
  });

  it('decodes DS1822 like the DS18B20', () => {
    assert.equal(millidegrees(decodeScratchpad(0x22, pad(0x0191))), 25062);
  });

  it('decodes DS18S20 with COUNT_REMAIN extended resolution (data sheet and Linux formula)', () => {
    // Power-on scratchpad from the DS18S20 data sheet: AA 00 4B 46 FF FF 0C 10 87.
    const powerOn = decodeScratchpad(0x10, [0xaa, 0x00, 0x4b, 0x46, 0xff, 0xff, 0x0c, 0x10, 0x87]);
    assert.ok(powerOn.ok && powerOn.millidegrees === 85000 && powerOn.powerOnPattern && powerOn.resolution === 9);
    // +25.0 °C read as 0x0032; COUNT_REMAIN 0x0C: 25 - 0.25 + (16 - 12) / 16 = 25.0.
    assert.equal(millidegrees(decodeScratchpad(0x10, pad(0x0032, 0xff, 0x0c, 0x10))), 25000);
    // -0.5 °C (0xFFFF) with COUNT_REMAIN 0x10 = -1 - 0.25 + 0 = -1.25 by the formula.
    assert.equal(millidegrees(decodeScratchpad(0x10, pad(0xffff, 0xff, 0x10, 0x10))), -1250);
  });

  it('reports a CRC mismatch, an absent sensor (all ones) and a shorted bus (all zeros)', () => {
    const bad = pad(0x0191);
    bad[0] ^= 0x04;
    assert.deepEqual(pick(decodeScratchpad(0x28, bad)), 'crc');
    assert.deepEqual(pick(decodeScratchpad(0x28, new Array(9).fill(0xff))), 'no_device');
    assert.deepEqual(pick(decodeScratchpad(0x28, new Array(9).fill(0x00))), 'bus_short');
    assert.deepEqual(pick(decodeScratchpad(0x28, [1, 2, 3])), 'crc');
  });
});

function pick(result: ReturnType<typeof decodeScratchpad>): string {
  return result.ok ? 'ok' : result.code;
}
