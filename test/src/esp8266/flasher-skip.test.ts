import assert from 'node:assert/strict';
import { FlashError } from '../../../src/esp8266/flash-errors';
import { flashImage } from '../../../src/esp8266/flasher';
import { createSerialLink } from '../../../src/serial/open-port';
import { getVirtualBoard, resetVirtualBoards } from '../../../src/sim/host/registry';
import '../../../src/virtual-ports';
import { buildLargeTestImage, patternBytes } from '../../support/image-builders';

const SECTOR = 4096;
const base = { createLink: createSerialLink, reset: 'auto' as const, flashBaudRate: 921600 };

/** About 40 KiB: ten sectors, the last one partial. */
const image = buildLargeTestImage(100 * 1024 - 64 * 1024 + 40 * 1024);

function changed(bytes: Uint8Array, ...offsets: number[]): Uint8Array {
  const copy = Uint8Array.from(bytes);
  for (const offset of offsets) copy[offset] ^= 0x5a;
  return copy;
}

function concat(a: Uint8Array, b: Uint8Array): Uint8Array {
  return new Uint8Array(Buffer.concat([a, b]));
}

describe('flasher: skipping the sectors the board already holds', () => {
  afterEach(() => resetVirtualBoards());
  const sectors = Math.ceil(image.length / SECTOR);

  before(() => {
    assert.ok(image.length % SECTOR !== 0 && sectors >= 8, `a test image of ${image.length} bytes ends inside a sector`);
  });

  it('writes nothing when the board already holds the image, and still verifies and restarts it', async () => {
    const board = getVirtualBoard('skip-same', { firmware: image });
    const result = await flashImage({ ...base, path: 'sim:skip-same', image });
    assert.equal(result.sectorsWritten, 0);
    assert.equal(result.sectorsSkipped, sectors);
    assert.equal(result.bytesWritten, 0);
    assert.equal(result.compressedBytes, 0);
    assert.equal(result.verified, true);
    assert.equal(result.restarted, true);
    assert.equal(board.mode, 'running');
    assert.deepEqual(board.flash.read(0, image.length), image);
  });

  it('writes only the one sector that differs', async () => {
    const board = getVirtualBoard('skip-one', { firmware: changed(image, 3 * SECTOR + 10) });
    const sentBefore = board.wireSeconds.toDevice;
    const result = await flashImage({ ...base, path: 'sim:skip-one', image, compress: false });
    assert.equal(result.sectorsWritten, 1);
    assert.equal(result.sectorsSkipped, sectors - 1);
    assert.equal(result.bytesWritten, SECTOR);
    assert.deepEqual(board.flash.read(0, image.length), image);
    const sentBytes = ((board.wireSeconds.toDevice - sentBefore) * 921600) / 10;
    assert.ok(sentBytes < image.length / 2, `${Math.round(sentBytes)} bytes sent for one sector (image: ${image.length})`);
  });

  it('writes every sector when every sector differs', async () => {
    const board = getVirtualBoard('skip-none', { firmware: buildLargeTestImage(image.length, 11) });
    const result = await flashImage({ ...base, path: 'sim:skip-none', image });
    assert.equal(result.sectorsWritten, sectors);
    assert.equal(result.sectorsSkipped, 0);
    assert.equal(result.bytesWritten, image.length);
    assert.deepEqual(board.flash.read(0, image.length), image);
  });

  it('writes the last, partial sector when the board differs there, and only there', async () => {
    const board = getVirtualBoard('skip-last', { firmware: changed(image, image.length - 1) });
    const result = await flashImage({ ...base, path: 'sim:skip-last', image });
    assert.equal(result.sectorsWritten, 1);
    assert.equal(result.bytesWritten, image.length % SECTOR);
    assert.deepEqual(board.flash.read(0, image.length), image);
  });

  it("leaves a longer image on the board alone past the new one's end when the new one is already there", async () => {
    const tail = patternBytes(3 * SECTOR, 21);
    const board = getVirtualBoard('skip-shorter', { firmware: concat(image, tail) });
    const result = await flashImage({ ...base, path: 'sim:skip-shorter', image });
    assert.equal(result.sectorsWritten, 0, "bytes past the image's end, even in its last sector, are not compared");
    assert.deepEqual(board.flash.read(image.length, tail.length), tail);
  });

  it('rewrites the last sector of a shorter image as a full write would: the rest of that sector is erased, later sectors kept', async () => {
    const tail = patternBytes(3 * SECTOR, 22);
    const board = getVirtualBoard('skip-shorter-changed', { firmware: concat(changed(image, image.length - 2), tail) });
    const result = await flashImage({ ...base, path: 'sim:skip-shorter-changed', image });
    assert.equal(result.sectorsWritten, 1);
    assert.deepEqual(board.flash.read(0, image.length), image);
    const sectorEnd = sectors * SECTOR;
    assert.ok(board.flash.read(image.length, sectorEnd - image.length).every((byte) => byte === 0xff));
    assert.deepEqual(board.flash.read(sectorEnd, image.length + tail.length - sectorEnd), tail.subarray(sectorEnd - image.length));
  });

  it("still catches, with the whole image's MD5, a skipped sector that changes before the end", async () => {
    const board = getVirtualBoard('skip-wrong', { firmware: changed(image, 2 * SECTOR) });
    await assert.rejects(
      flashImage({
        ...base,
        path: 'sim:skip-wrong',
        image,
        // A weak cell in a sector the comparison found equal loses a bit while the other sector is written.
        onStep: (step) => {
          if (step === 'write') board.flash.program(6 * SECTOR + 1, Uint8Array.of(image[6 * SECTOR + 1] & 0xfe));
        },
      }),
      (error: unknown) => error instanceof FlashError && error.code === 'md5-mismatch',
    );
  });

  it('writes the whole image when asked not to skip', async () => {
    const board = getVirtualBoard('skip-off', { firmware: image });
    const result = await flashImage({ ...base, path: 'sim:skip-off', image, skipUnchanged: false });
    assert.equal(result.sectorsWritten, sectors);
    assert.equal(result.sectorsSkipped, 0);
    assert.deepEqual(board.flash.read(0, image.length), image);
  });
});
