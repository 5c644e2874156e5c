import { strict as assert } from 'assert';
import { crc32, portableCrc32 } from '../../../../src/flespi/store/crc32';
import { frame, HEADER_BYTES, scanRecords } from '../../../../src/flespi/store/framing';

const bodies = ['first', 'second record', 'third', 'fourth and last'].map((text) => Buffer.from(text));
const segment = () => Buffer.concat(bodies.map(frame));
const texts = (found: Buffer[]) => found.map((body) => body.toString());

describe('outbox store: record framing', () => {
  it('computes IEEE CRC-32, natively and with the stand-in for older Node 20 releases', () => {
    assert.equal(crc32(Buffer.from('123456789')), 0xcbf43926);
    assert.equal(portableCrc32(Buffer.from('123456789')), 0xcbf43926);
    const data = Buffer.from('a longer text, checked in two parts');
    assert.equal(portableCrc32(data.subarray(10), portableCrc32(data.subarray(0, 10))), crc32(data));
  });

  it('reads back every record written, and an empty file as empty', () => {
    const scan = scanRecords(segment());
    assert.deepEqual(texts(scan.bodies), bodies.map(String));
    assert.deepEqual({ torn: scan.tornBytes, corrupt: scan.corrupt, end: scan.goodEnd }, { torn: 0, corrupt: 0, end: segment().length });
    assert.deepEqual(scanRecords(Buffer.alloc(0)), { bodies: [], goodEnd: 0, tornBytes: 0, corrupt: 0 });
  });

  it('stops before a record cut anywhere inside, keeping every whole one', () => {
    const whole = segment();
    const lastStart = whole.length - frame(bodies[3]).length;
    for (let cut = lastStart + 1; cut < whole.length; cut += 1) {
      const scan = scanRecords(whole.subarray(0, cut));
      assert.deepEqual(texts(scan.bodies), bodies.slice(0, 3).map(String), `cut at ${cut}`);
      assert.equal(scan.goodEnd, lastStart);
      assert.equal(scan.tornBytes, cut - lastStart);
      assert.equal(scan.corrupt, 0);
    }
  });

  it('treats a tail of zeros or garbage as torn, not as records', () => {
    const scan = scanRecords(Buffer.concat([segment(), Buffer.alloc(4096)]));
    assert.equal(scan.bodies.length, 4);
    assert.equal(scan.tornBytes, 4096);
    assert.equal(scanRecords(Buffer.from([0xf1, 0x5e, 1, 0, 0, 0, 9, 9, 9, 9, 65])).bodies.length, 0);
  });

  it('skips a damaged record in the middle, counts it, and reads on', () => {
    const whole = segment();
    const secondStart = frame(bodies[0]).length;
    for (const at of [secondStart + 1, secondStart + 3, secondStart + 7, secondStart + HEADER_BYTES + 2]) {
      const damaged = Buffer.from(whole);
      damaged[at] ^= 0x40;
      const scan = scanRecords(damaged);
      assert.deepEqual(texts(scan.bodies), ['first', 'third', 'fourth and last'], `byte ${at} flipped`);
      assert.equal(scan.corrupt, 1);
      assert.equal(scan.tornBytes, 0);
    }
  });
});
