import assert from 'node:assert/strict';
import { bootBanner, loadImageFromFlash } from '../../../../src/sim/loader/boot-messages';
import { NorFlash } from '../../../../src/sim/board/nor-flash';
import { buildTestImage, imageWithMarker } from '../../../support/image-builders';

function flashWith(image: Uint8Array): NorFlash {
  const flash = new NorFlash(64 * 1024);
  flash.program(0, image);
  return flash;
}

describe('sim/loader/boot-messages', () => {
  it('prints the ROM banner with reset cause and boot mode', () => {
    assert.ok(bootBanner(2, 1).includes('ets Jan  8 2013,rst cause:2, boot mode:(1,6)'));
    assert.ok(bootBanner(1, 3).includes('rst cause:1, boot mode:(3,6)'));
  });

  it('loads a valid image: one load line per segment, the checksum, and the image itself', () => {
    const image = imageWithMarker('hello');
    const result = loadImageFromFlash(flashWith(image));
    assert.deepEqual(result.image, image);
    assert.equal(result.log.match(/^load 0x/gm)?.length, 2);
    assert.match(result.log, /load 0x40100000, len 256, room 16/);
    assert.match(result.log, new RegExp(`csum 0x${image[image.length - 1].toString(16).padStart(2, '0')}`));
    assert.doesNotMatch(result.log, /csum err/);
  });

  it('refuses an image with a wrong checksum ("csum err")', () => {
    const image = imageWithMarker('hello');
    image[40] ^= 0x01;
    const result = loadImageFromFlash(flashWith(image));
    assert.equal(result.image, undefined);
    assert.match(result.log, /csum err\r\nets_main\.c/);
  });

  it('refuses erased flash and a half-written image', () => {
    assert.equal(loadImageFromFlash(new NorFlash(64 * 1024)).image, undefined);
    const image = buildTestImage({ segments: [{ address: 0x40100000, data: new Uint8Array(8192).fill(0x5a) }] });
    const flash = new NorFlash(64 * 1024);
    flash.program(0, image.subarray(0, 4096)); // the write stopped after the first sector
    const result = loadImageFromFlash(flash);
    assert.equal(result.image, undefined);
    assert.match(result.log, /ets_main\.c/);
  });

  it('refuses a segment longer than RAM or running past the end of flash', () => {
    const image = buildTestImage({ segments: [{ address: 0x40100000, data: new Uint8Array(16) }] });
    new DataView(image.buffer).setUint32(12, 0x00100000, true);
    assert.equal(loadImageFromFlash(flashWith(image)).image, undefined);
  });
});
