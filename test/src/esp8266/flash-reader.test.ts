import assert from 'node:assert/strict';
import { createHash } from 'node:crypto';
import { connectLoader } from '../../../src/esp8266/connect';
import type { EspLoader } from '../../../src/esp8266/esptool-adapter';
import { readRegion } from '../../../src/esp8266/flash-reader';
import '../../../src/virtual-ports';
import { createSerialLink } from '../../../src/serial/open-port';
import { WebSerialAdapter } from '../../../src/serial/web-serial-adapter';
import { getVirtualBoard, resetVirtualBoards } from '../../../src/sim/host/registry';
import { patternBytes } from '../../support/image-builders';

type Event = { write: number[] } | { read: number };

/** A loader whose stub streams `contents` in 4 KiB packets and records what the reader does, in order. */
function recordingLoader(contents: Uint8Array, events: Event[]): EspLoader {
  let offset = 0;
  let reads = 0;
  const loader = {
    ESP_READ_FLASH: 0xd2,
    FLASH_READ_TIMEOUT: 1000,
    checkCommand: async () => 0,
    transport: {
      write: async (bytes: Uint8Array) => {
        events.push({ write: [...new Uint32Array(bytes.buffer, bytes.byteOffset, bytes.length / 4)] });
      },
      read: async () => {
        events.push({ read: reads++ });
        if (offset >= contents.length) return new Uint8Array(createHash('md5').update(contents).digest());
        const packet = contents.subarray(offset, offset + 0x1000);
        offset += packet.length;
        return packet;
      },
    },
  };
  return loader as unknown as EspLoader;
}

describe("flash reader: READ_FLASH with the stub's acknowledgements", () => {
  afterEach(() => resetVirtualBoards());

  it('acknowledges once before the first packet, so the stub keeps a second packet in flight, then once per packet with the true count', async () => {
    const contents = patternBytes(0x2800, 4);
    const events: Event[] = [];
    const { bytes } = await readRegion(recordingLoader(contents, events), 0, contents.length);
    assert.deepEqual(Buffer.from(bytes), Buffer.from(contents));
    assert.deepEqual(events.slice(0, 2), [{ write: [0] }, { read: 0 }]);
    const acks = events.flatMap((event) => ('write' in event ? event.write : []));
    assert.deepEqual(acks, [0, 0x1000, 0x2000, 0x2800]);
  });

  it('a read of one packet or less gets one acknowledgement', async () => {
    const events: Event[] = [];
    await readRegion(recordingLoader(patternBytes(0x1000, 5), events), 0, 0x1000);
    assert.deepEqual(
      events.flatMap((event) => ('write' in event ? event.write : [])),
      [0x1000],
    );
  });

  it("reads a region of several packets from the virtual board's stub, checked against its MD5", async () => {
    const board = getVirtualBoard('reader-pipelined');
    const contents = patternBytes(0x5300, 6);
    board.flash.program(0x21000, contents);
    const adapter = new WebSerialAdapter((baud) => createSerialLink('sim:reader-pipelined', baud));
    try {
      const { loader } = await connectLoader(adapter, { flashBaudRate: 921600, reset: 'auto' }, () => undefined);
      await loader.runStub();
      const { bytes, md5 } = await readRegion(loader, 0x21000, contents.length);
      assert.deepEqual(Buffer.from(bytes), Buffer.from(contents));
      assert.equal(md5, createHash('md5').update(contents).digest('hex'));
    } finally {
      await adapter.close();
    }
  });
});
