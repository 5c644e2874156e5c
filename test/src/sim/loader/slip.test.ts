import assert from 'node:assert/strict';
import fc from 'fast-check';
import { SlipDecoder, slipEncode } from '../../../../src/sim/loader/slip';

function decodeAll(bytes: Uint8Array, maxPacket?: number): Uint8Array[] {
  const packets: Uint8Array[] = [];
  const decoder = new SlipDecoder((p) => packets.push(p), maxPacket);
  decoder.push(bytes);
  return packets;
}

describe('sim/loader/slip', () => {
  it('escapes 0xC0 and 0xDB and frames with 0xC0', () => {
    assert.deepEqual([...slipEncode(Uint8Array.from([1, 0xc0, 2, 0xdb, 3]))], [0xc0, 1, 0xdb, 0xdc, 2, 0xdb, 0xdd, 3, 0xc0]);
  });

  it('decodes what it encodes, split at any point', () => {
    fc.assert(
      fc.property(fc.array(fc.uint8Array({ minLength: 1, maxLength: 64 }), { minLength: 1, maxLength: 5 }), fc.nat(), (packets, cut) => {
        const stream = Buffer.concat(packets.map((p) => Buffer.from(slipEncode(p))));
        const at = cut % (stream.length + 1);
        const got: Uint8Array[] = [];
        const decoder = new SlipDecoder((p) => got.push(p));
        decoder.push(stream.subarray(0, at));
        decoder.push(stream.subarray(at));
        assert.deepEqual(
          got.map((p) => [...p]),
          packets.map((p) => [...p]),
        );
      }),
      { numRuns: 200 },
    );
  });

  it('drops noise before the first frame mark and frames with an invalid escape', () => {
    const noise = Uint8Array.from([0x55, 0x12, 0xdb, 0x01]);
    const bad = Uint8Array.from([0xc0, 1, 0xdb, 0x99, 2, 0xc0]);
    const good = slipEncode(Uint8Array.from([9, 8, 7]));
    assert.deepEqual(
      decodeAll(Buffer.concat([noise, bad, good])).map((p) => [...p]),
      [[9, 8, 7]],
    );
  });

  it('discards an oversized frame whole and recovers on the next one', () => {
    const big = slipEncode(new Uint8Array(100).fill(1));
    const small = slipEncode(Uint8Array.from([5]));
    assert.deepEqual(
      decodeAll(Buffer.concat([big, small]), 50).map((p) => [...p]),
      [[5]],
    );
  });

  it('fuzz: arbitrary input never throws and never holds more than maxPacket bytes', () => {
    fc.assert(
      fc.property(fc.array(fc.uint8Array({ maxLength: 300 }), { maxLength: 20 }), (chunks) => {
        const decoder = new SlipDecoder((p) => assert.ok(p.length <= 128), 128);
        for (const chunk of chunks) {
          decoder.push(chunk);
          assert.ok(decoder.pending <= 128);
        }
      }),
      { numRuns: 300 },
    );
  });
});
