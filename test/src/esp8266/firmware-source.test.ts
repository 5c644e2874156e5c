import assert from 'node:assert/strict';
import { promises as fs } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { FlashError } from '../../../src/esp8266/flash-errors';
import { BUNDLED_FIRMWARE_PATH, imageFromPayload, loadFirmware } from '../../../src/esp8266/firmware-source';
import { parseImage } from '../../../src/esp8266/image';

function isFlashError(code: string, pattern: RegExp) {
  return (error: unknown) => error instanceof FlashError && error.code === code && pattern.test(error.message);
}

describe('firmware sources', () => {
  let dir: string;
  before(async () => { dir = await fs.mkdtemp(path.join(os.tmpdir(), 'firmware-')); });
  after(async () => { await fs.rm(dir, { recursive: true, force: true }); });

  it('finds the bundled bridge firmware at the package root, a valid image', async () => {
    assert.equal(path.basename(path.dirname(BUNDLED_FIRMWARE_PATH)), 'firmware');
    const image = await loadFirmware({ source: 'bundled' });
    assert.ok(Buffer.from(image).includes(Buffer.from('ds18b20-bridge')));
    assert.doesNotThrow(() => parseImage(image));
  });

  it('reads a file, and names a missing one, a directory and an empty setting', async () => {
    const file = path.join(dir, 'a.bin');
    await fs.writeFile(file, Uint8Array.of(0xe9, 1, 2, 3));
    assert.deepEqual([...(await loadFirmware({ source: 'file', file }))], [0xe9, 1, 2, 3]);
    await assert.rejects(loadFirmware({ source: 'file', file: path.join(dir, 'nope.bin') }), isFlashError('invalid-image', /nope.bin does not exist/));
    await assert.rejects(loadFirmware({ source: 'file', file: dir }), isFlashError('invalid-image', /is not a regular file/));
    await assert.rejects(loadFirmware({ source: 'file', file: '' }), isFlashError('invalid-image', /no firmware file is set/));
  });

  it('refuses a file above 16 MB without reading it', async () => {
    const big = path.join(dir, 'big.bin');
    await fs.writeFile(big, '');
    await fs.truncate(big, 16 * 1024 * 1024 + 1);
    await assert.rejects(loadFirmware({ source: 'file', file: big }), isFlashError('image-too-large', /has 16777217 bytes; an ESP8266 flash holds at most 16 MB/));
  });

  it('takes a Buffer or Uint8Array payload and refuses anything else', () => {
    const bytes = Buffer.from([0xe9, 0, 0, 0]);
    assert.equal(imageFromPayload(bytes), bytes);
    assert.throws(() => imageFromPayload('e9000000'), isFlashError('invalid-image', /not string/));
    assert.throws(() => imageFromPayload(null), isFlashError('invalid-image', /not null/));
    assert.throws(() => imageFromPayload({ type: 'Buffer', data: [1] }), isFlashError('invalid-image', /not object/));
    assert.throws(() => imageFromPayload(new Uint8Array(16 * 1024 * 1024 + 1)), isFlashError('image-too-large', /msg.payload has 16777217 bytes/));
  });
});
