import assert from 'node:assert/strict';
import { connectLoader } from '../../../src/esp8266/connect';
import { writeRanges } from '../../../src/esp8266/region-writer';
import { createSerialLink } from '../../../src/serial/open-port';
import { WebSerialAdapter } from '../../../src/serial/web-serial-adapter';
import { getVirtualBoard, resetVirtualBoards } from '../../../src/sim/host/registry';
import '../../../src/virtual-ports';
import { patternBytes } from '../../support/image-builders';

describe("region writer: ranges written with esptool-js's flash commands", () => {
  afterEach(() => resetVirtualBoards());

  for (const compress of [true, false]) {
    it(`writes separate ranges ${compress ? 'deflated' : 'plain'}, leaves the flash between them alone and reports every byte sent`, async () => {
      const board = getVirtualBoard(`ranges-${compress}`);
      const between = patternBytes(0x2000, 9);
      board.flash.program(0x3000, between);
      const adapter = new WebSerialAdapter((baud) => createSerialLink(`sim:ranges-${compress}`, baud));
      try {
        const { loader } = await connectLoader(adapter, { flashBaudRate: 921600, reset: 'auto' }, () => undefined);
        await loader.runStub();
        const ranges = [
          { address: 0x1000, bytes: patternBytes(0x2000, 1) },
          // Longer than one 16 KiB block, and ending inside a sector.
          { address: 0x5000, bytes: patternBytes(0x4000 + 0x1000 + 300, 2) },
        ];
        const reports: Array<[number, number]> = [];
        const sent = await writeRanges(loader, ranges, compress, (bytes, total) => reports.push([bytes, total]));
        for (const range of ranges) assert.deepEqual(board.flash.read(range.address, range.bytes.length), range.bytes);
        assert.deepEqual(board.flash.read(0x3000, between.length), between);
        assert.deepEqual(reports[0], [0, sent]);
        assert.deepEqual(reports[reports.length - 1], [sent, sent]);
        assert.ok(
          reports.every(([bytes], i) => i === 0 || bytes >= reports[i - 1][0]),
          'progress never goes back',
        );
        if (!compress) assert.equal(sent, 0x2000 + 0x4000 + 0x1000 + 300);
      } finally {
        await adapter.close();
      }
    });
  }

  it('writes nothing for no ranges', async () => {
    const reports: Array<[number, number]> = [];
    const unused = {} as Parameters<typeof writeRanges>[0];
    assert.equal(await writeRanges(unused, [], true, (bytes, total) => reports.push([bytes, total])), 0);
    assert.deepEqual(reports, [[0, 0]]);
  });
});
