import { strict as assert } from 'assert';
import { functionOf, IoMux, PADS } from '../../../../src/sim/peripherals/io-mux';
import { UnmodelledLog } from '../../../../src/sim/peripherals/unmodelled';

describe('virtual IO_MUX', () => {
  it('decodes the function number from bits 5:4 and bit 8', () => {
    assert.deepEqual([0x00, 0x10, 0x20, 0x30, 0x100, 0x130].map(functionOf), [0, 1, 2, 3, 4, 7]);
  });

  it('makes GPIO0/2/4/5 GPIOs at reset, and 12-15 GPIOs only with function 3', () => {
    const mux = new IoMux(new UnmodelledLog());
    assert.deepEqual(
      [0, 2, 4, 5, 12, 15].map((p) => mux.isGpio(p)),
      [true, true, true, true, false, false],
    );
    mux.write32(PADS[12].offset, 0x30, 0);
    assert.equal(mux.isGpio(12), true);
    assert.equal(mux.read32(PADS[12].offset), 0x30);
  });

  it('keeps each pad pull-up and pull-down, and tells the GPIO block of every change', () => {
    const mux = new IoMux(new UnmodelledLog());
    const changes: number[] = [];
    mux.onChange = (cycle) => changes.push(cycle);
    mux.write32(PADS[4].offset, 1 << 7, 5);
    mux.write32(PADS[5].offset, 1 << 6, 6);
    assert.deepEqual([mux.pull(4), mux.pull(5), mux.pull(0)], ['up', 'down', 'none']);
    assert.deepEqual(changes, [5, 6]);
  });

  it('logs an access past the last pad register as unmodelled', () => {
    const log = new UnmodelledLog();
    new IoMux(log).write32(0x80, 1, 0);
    assert.deepEqual(log.entries, ['unmodelled write of 0x1 to IO_MUX register 0x60000880']);
  });
});
