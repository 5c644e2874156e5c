// Random requests must never make a loader throw: every malformed command gets a status, not a crash.
import assert from 'node:assert/strict';
import fc from 'fast-check';
import { FlasherStub } from '../../../../src/sim/loader/flasher-stub';
import type { Loader, LoaderHost } from '../../../../src/sim/loader/loader';
import { Op } from '../../../../src/sim/loader/loader-packets';
import { NorFlash } from '../../../../src/sim/board/nor-flash';
import { Efuse } from '../../../../src/sim/peripherals/efuse';
import { ChipRegisters } from '../../../../src/sim/loader/chip-registers';
import { RomLoader } from '../../../../src/sim/loader/rom-loader';

function fakeHost(sent: Uint8Array[]): LoaderHost {
  const flash = new NorFlash(64 * 1024);
  return {
    flash,
    registers: new ChipRegisters(flash, new Efuse(Uint8Array.of(0x18, 0xfe, 0x34, 1, 2, 3)), () => 115200),
    send: async (packet) => {
      sent.push(packet);
    },
    setBaud: () => undefined,
    jumpTo: () => undefined,
    runUserCode: () => undefined,
    softwareReset: () => undefined,
  };
}

const ops = Object.values(Op);
const word = fc.oneof(fc.constantFrom(0, 1, 4, 0x400, 0x1000, 0x4000, 0xffff, 0x10000, 0xffffffff), fc.nat());
const request = fc
  .record({
    op: fc.oneof(fc.constantFrom(...ops), fc.integer({ min: 0, max: 255 })),
    words: fc.array(word, { maxLength: 6 }),
    tail: fc.uint8Array({ maxLength: 40 }),
    lengthLie: fc.boolean(),
    checksum: fc.nat(),
  })
  .map(({ op, words, tail, lengthLie, checksum }) => {
    const data = Buffer.concat([Buffer.from(Uint32Array.from(words).buffer), Buffer.from(tail)]);
    const header = Buffer.alloc(8);
    header[1] = op;
    header.writeUInt16LE(lengthLie ? (data.length + 1) & 0xffff : data.length, 2);
    header.writeUInt32LE(checksum >>> 0, 4);
    return new Uint8Array(Buffer.concat([header, data]));
  });

describe('sim loaders under random requests', () => {
  const kinds: Array<[string, (host: LoaderHost) => Loader]> = [
    ['ROM loader', (host) => new RomLoader(host)],
    ['esp-flasher-stub', (host) => new FlasherStub(host, 'esp-flasher-stub')],
    ['legacy stub', (host) => new FlasherStub(host, 'legacy')],
  ];
  for (const [name, create] of kinds) {
    it(`${name}: never throws, and answers with well-formed responses`, async () => {
      await fc.assert(
        fc.asyncProperty(fc.array(request, { minLength: 1, maxLength: 12 }), async (requests) => {
          const sent: Uint8Array[] = [];
          const loader = create(fakeHost(sent));
          for (const packet of requests) await loader.handle(packet);
          loader.stop();
          for (const packet of sent) {
            if (packet[0] !== 0x01) continue; // raw READ_FLASH data, digests and the greeting
            assert.ok(packet.length >= 10);
            assert.equal(Buffer.from(packet).readUInt16LE(2), packet.length - 8);
          }
        }),
        { numRuns: 300 },
      );
    });
  }
});
