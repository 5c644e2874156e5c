import { strict as assert } from 'assert';
import { OneWireBus } from '../../../../src/sim/onewire/onewire-bus';
import { Thermometer } from '../../../../src/sim/onewire/thermometer';
import type { ViolationKind } from '../../../../src/sim/onewire/violations';

/** A master driven by hand, edge by edge, at chosen microseconds. */
class HandMaster {
  us = 0;
  readonly bus = new OneWireBus();
  readonly part = new Thermometer({ rom: '28-0316a27950ff' });

  constructor() {
    this.bus.attach(this.part);
  }

  low(forUs: number): this {
    this.bus.setDrive('low', this.us);
    this.us += forUs;
    this.bus.setDrive('released', this.us);
    return this;
  }

  high(forUs: number): this {
    this.us += forUs;
    return this;
  }

  sampleAt(afterUs: number): 0 | 1 {
    return this.bus.sample(this.us + afterUs);
  }

  /** A reset by the data sheet: 480 us low, presence sampled at 70 us, 480 us high. */
  reset(): 0 | 1 {
    this.low(480);
    const level = this.sampleAt(70);
    this.high(480);
    return level;
  }

  writeByte(value: number): void {
    for (let i = 0; i < 8; i++) this.low((value >> i) & 1 ? 6 : 60).high((value >> i) & 1 ? 64 : 10);
  }

  kinds(): Partial<Record<ViolationKind, number>> {
    return this.part.violations.byKind();
  }
}

describe('1-Wire slot timing judged by a device', () => {
  it('counts nothing for data sheet timing', () => {
    const m = new HandMaster();
    assert.equal(m.reset(), 0);
    m.writeByte(0xcc);
    m.writeByte(0xbe);
    assert.deepEqual(m.kinds(), {});
  });

  it('gives no presence for a reset shorter than 480 us, and counts it', () => {
    const m = new HandMaster();
    m.low(300);
    assert.equal(m.sampleAt(70), 1);
    assert.deepEqual(m.kinds(), { 'reset-too-short': 1 });
  });

  it('counts a presence sample outside 60-75 us and a next slot before tRSTH', () => {
    const m = new HandMaster();
    m.low(480);
    assert.equal(m.sampleAt(20), 1, 'the presence pulse has not begun at 20 us');
    m.high(200);
    m.low(6);
    assert.deepEqual(m.kinds(), { 'presence-sample-outside-window': 1, 'reset-recovery-too-short': 1 });
  });

  it('counts short slots, short recovery, too short and ambiguous lows', () => {
    const m = new HandMaster();
    m.reset();
    m.low(6).high(40); // slot of 46 us
    m.low(60).high(0.2); // recovery of 0.2 us
    m.low(0.3).high(70);
    m.low(30).high(40);
    assert.deepEqual(m.kinds(), {
      'slot-too-short': 1,
      'recovery-too-short': 1,
      'low-too-short': 1,
      'write-low-ambiguous': 1,
    });
  });

  it('misreads a write-0 held only 20 us by a part sampling at 30 us', () => {
    const m = new HandMaster();
    m.reset();
    // SKIP ROM (CCh) with every 0 held only 20 us: the part hears FFh, a command it does not know
    for (let i = 0; i < 8; i++) m.low((0xcc >> i) & 1 ? 6 : 20).high(60);
    m.writeByte(0xbe);
    const bits = Array.from({ length: 16 }, () => {
      m.bus.setDrive('low', m.us);
      m.bus.setDrive('released', m.us + 2);
      const bit = m.sampleAt(10);
      m.high(70);
      return bit;
    });
    assert.deepEqual(bits, new Array(16).fill(1), 'nobody answers: the command was not SKIP ROM');
    assert.equal(m.part.violations.count('write-low-ambiguous'), 4);
  });

  it('counts a read sample later than 15 us, and reads 1 once the part has let go', () => {
    const m = new HandMaster();
    m.reset();
    m.writeByte(0xcc);
    m.writeByte(0xbe); // the first scratchpad bit is bit 0 of 50h: 0
    m.bus.setDrive('low', m.us);
    m.bus.setDrive('released', m.us + 2);
    assert.equal(m.sampleAt(35), 1);
    assert.deepEqual(m.kinds(), { 'sample-too-late': 1 });
  });

  it('refuses presence and write-sampling times outside the data sheet ranges', () => {
    assert.throws(() => new Thermometer({ rom: '28-0316a27950ff', presenceWaitUs: 61 }), /presence wait/);
    assert.throws(() => new Thermometer({ rom: '28-0316a27950ff', presenceLowUs: 59 }), /presence pulse/);
    assert.throws(() => new Thermometer({ rom: '28-0316a27950ff', readHoldUs: 10 }), /read hold/);
    assert.throws(() => new Thermometer({ rom: '99-0316a27950ff' }), /not a DS18B20/);
  });

  it('refuses time going backwards', () => {
    const m = new HandMaster();
    m.bus.setDrive('low', 100);
    assert.throws(() => m.bus.setDrive('released', 50), /went back/);
  });
});
