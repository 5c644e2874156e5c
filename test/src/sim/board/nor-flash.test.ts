import assert from 'node:assert/strict';
import { NorFlash, SECTOR_SIZE } from '../../../../src/sim/board/nor-flash';

describe('sim/board/nor-flash', () => {
  it('starts erased (0xFF) with the default 4 MiB size', () => {
    const flash = new NorFlash();
    assert.equal(flash.size, 4 * 1024 * 1024);
    assert.ok(flash.read(flash.size - 16, 16).every((b) => b === 0xff));
  });

  it('programming only clears bits; erase sets a whole 4 KiB sector back to 0xFF', () => {
    const flash = new NorFlash(64 * 1024);
    flash.program(0x1000, Uint8Array.from([0xf0, 0x0f]));
    flash.program(0x1000, Uint8Array.from([0x3c, 0xff]));
    assert.deepEqual([...flash.read(0x1000, 2)], [0x30, 0x0f]);
    flash.program(0x1ffe, Uint8Array.from([0, 0, 0, 0]));
    flash.eraseSector(1);
    assert.deepEqual([...flash.read(0x1000, 2)], [0xff, 0xff]);
    assert.deepEqual([...flash.read(0x1ffe, 4)], [0xff, 0xff, 0, 0], 'the next sector keeps its data');
  });

  it('eraseRange erases every sector the range touches', () => {
    const flash = new NorFlash(64 * 1024);
    flash.program(0, new Uint8Array(4 * SECTOR_SIZE));
    flash.eraseRange(SECTOR_SIZE + 10, SECTOR_SIZE);
    assert.equal(flash.read(SECTOR_SIZE - 1, 1)[0], 0x00);
    assert.ok(flash.read(SECTOR_SIZE, 2 * SECTOR_SIZE).every((b) => b === 0xff));
    assert.equal(flash.read(3 * SECTOR_SIZE, 1)[0], 0x00);
  });

  it('reads back byte-exact and rejects access outside the chip', () => {
    const flash = new NorFlash(64 * 1024);
    const data = Uint8Array.from({ length: 300 }, (_, i) => (i * 31) & 0xff);
    flash.program(0x2345, data);
    assert.deepEqual(flash.read(0x2345, 300), data);
    assert.throws(() => flash.read(64 * 1024 - 1, 2), /outside/);
    assert.throws(() => flash.program(-1, data), /outside/);
  });

  it('reports a JEDEC id whose capacity byte is log2(size), and accepts only power-of-two sizes', () => {
    assert.equal(new NorFlash().jedecId, 0x1640ef);
    assert.equal(new NorFlash(1024 * 1024).jedecId, 0x1440ef);
    assert.throws(() => new NorFlash(3 * 1024 * 1024), /power of two/);
  });
});
