import assert from 'node:assert/strict';
import { createHash } from 'node:crypto';
import { FlashMd5, REGION_BYTES, SECTOR_BYTES, compareSectors, wholeImage } from '../../../src/esp8266/changed-sectors';
import { patternBytes } from '../../support/image-builders';

/** A flash of `size` bytes answering MD5 questions, counting them. */
function fakeFlash(contents: Uint8Array): { flashMd5: FlashMd5; questions: Array<[number, number]> } {
  const questions: Array<[number, number]> = [];
  return {
    questions,
    flashMd5: async (address, length) => {
      questions.push([address, length]);
      return createHash('md5')
        .update(contents.subarray(address, address + length))
        .digest('hex');
    },
  };
}

function flashHolding(bytes: Uint8Array, size = 4 * 1024 * 1024, at = 0): Uint8Array {
  const flash = new Uint8Array(size).fill(0xff);
  flash.set(bytes, at);
  return flash;
}

describe('changed sectors: region then sector MD5 comparison', () => {
  const image = patternBytes(4 * REGION_BYTES + 3 * SECTOR_BYTES + 100, 5); // 4 regions and a partial fifth

  it('asks one question per region when the board already holds the image', async () => {
    const { flashMd5, questions } = fakeFlash(flashHolding(image));
    const result = await compareSectors(image, 0, flashMd5);
    assert.deepEqual(result.changed, []);
    assert.equal(result.sectorsChanged, 0);
    assert.equal(result.sectorsUnchanged, 4 * 16 + 4);
    assert.deepEqual(questions, [
      [0, REGION_BYTES],
      [REGION_BYTES, REGION_BYTES],
      [2 * REGION_BYTES, REGION_BYTES],
      [3 * REGION_BYTES, REGION_BYTES],
      [4 * REGION_BYTES, 3 * SECTOR_BYTES + 100],
    ]);
  });

  it('narrows a differing region to its sectors and merges neighbours into one range', async () => {
    const flash = flashHolding(image);
    flash[REGION_BYTES + 5 * SECTOR_BYTES + 7] ^= 1;
    flash[REGION_BYTES + 6 * SECTOR_BYTES] ^= 1;
    const { flashMd5, questions } = fakeFlash(flash);
    const result = await compareSectors(image, 0, flashMd5);
    assert.deepEqual(result.changed, [{ start: REGION_BYTES + 5 * SECTOR_BYTES, end: REGION_BYTES + 7 * SECTOR_BYTES }]);
    assert.equal(result.sectorsChanged, 2);
    assert.equal(questions.length, 5 + 16, 'five regions, then the sixteen sectors of the one that differs');
  });

  it('compares only the bytes the image covers in its last, partial sector', async () => {
    const flash = flashHolding(image);
    flash.fill(0x00, image.length, image.length + 200); // past the image's end: not the image's business
    let result = await compareSectors(image, 0, fakeFlash(flash).flashMd5);
    assert.equal(result.sectorsChanged, 0);
    flash[image.length - 1] ^= 0x80;
    result = await compareSectors(image, 0, fakeFlash(flash).flashMd5);
    assert.deepEqual(result.changed, [{ start: 4 * REGION_BYTES + 3 * SECTOR_BYTES, end: image.length }]);
  });

  it('needs no sector questions where the board is erased: every sector differs unless the image is erased there too', async () => {
    const withErasedSector = Uint8Array.from(image);
    withErasedSector.fill(0xff, 2 * SECTOR_BYTES, 3 * SECTOR_BYTES);
    const { flashMd5, questions } = fakeFlash(new Uint8Array(4 * 1024 * 1024).fill(0xff));
    const result = await compareSectors(withErasedSector, 0, flashMd5);
    assert.equal(questions.length, 5, 'one question per region, none per sector');
    assert.deepEqual(result.changed, [
      { start: 0, end: 2 * SECTOR_BYTES },
      { start: 3 * SECTOR_BYTES, end: image.length },
    ]);
    assert.equal(result.sectorsUnchanged, 1);
  });

  it('reports the bytes compared after each region', async () => {
    const compared: number[] = [];
    await compareSectors(image, 0, fakeFlash(flashHolding(image)).flashMd5, (bytes) => compared.push(bytes));
    assert.deepEqual(compared, [REGION_BYTES, 2 * REGION_BYTES, 3 * REGION_BYTES, 4 * REGION_BYTES, image.length]);
  });

  it("compares at the image's flash offset", async () => {
    const offset = 0x40000;
    const { flashMd5, questions } = fakeFlash(flashHolding(image, 4 * 1024 * 1024, offset));
    const result = await compareSectors(image, offset, flashMd5);
    assert.equal(result.sectorsChanged, 0);
    assert.equal(questions[0][0], offset);
  });

  it('refuses an offset that is not on a sector boundary', async () => {
    await assert.rejects(compareSectors(image, 0x100, fakeFlash(flashHolding(image)).flashMd5), /not on a sector boundary/);
  });

  it('writes everything when not comparing', () => {
    assert.deepEqual(wholeImage(image.length), { changed: [{ start: 0, end: image.length }], sectorsChanged: 68, sectorsUnchanged: 0 });
    assert.deepEqual(wholeImage(0), { changed: [], sectorsChanged: 0, sectorsUnchanged: 0 });
  });
});
