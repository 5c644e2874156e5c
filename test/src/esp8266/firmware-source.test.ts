import assert from 'node:assert/strict';
import { execFileSync } from 'node:child_process';
import { promises as fs } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { gzipSync } from 'node:zlib';
import { FlashError } from '../../../src/esp8266/flash-errors';
import { BUNDLED_FIRMWARE_PATH, imageFromPayload, loadFirmware, readFirmwareFile } from '../../../src/esp8266/firmware-source';
import { parseImage } from '../../../src/esp8266/image';
import { buildTestImage, patternBytes } from '../../support/image-builders';

function isFlashError(code: string, pattern: RegExp) {
  return (error: unknown) => error instanceof FlashError && error.code === code && pattern.test(error.message);
}

const SIXTEEN_MB = 16 * 1024 * 1024;

describe('firmware sources', () => {
  let dir: string;
  before(async () => {
    dir = await fs.mkdtemp(path.join(os.tmpdir(), 'firmware-'));
  });
  after(async () => {
    await fs.rm(dir, { recursive: true, force: true });
  });

  it('finds the bundled bridge firmware at the package root, a valid image at 0', async () => {
    assert.equal(path.basename(path.dirname(BUNDLED_FIRMWARE_PATH)), 'firmware');
    const [part] = await loadFirmware({ source: 'bundled' });
    assert.equal(part.address, 0);
    assert.ok(Buffer.from(part.data).includes(Buffer.from('ds18b20-bridge')));
    assert.doesNotThrow(() => parseImage(part.data));
  });

  it('reads one file for address 0, and refuses an empty setting', async () => {
    const file = path.join(dir, 'a.bin');
    await fs.writeFile(file, Uint8Array.of(0xe9, 1, 2, 3));
    assert.deepEqual(await loadFirmware({ source: 'file', file }), [{ address: 0, data: Uint8Array.of(0xe9, 1, 2, 3) }]);
    await assert.rejects(loadFirmware({ source: 'file', file: '' }), isFlashError('invalid-image', /no firmware file is set/));
  });

  it('reads address=path pairs, and unpacks a .bin.gz', async () => {
    const boot = buildTestImage();
    const fsImage = patternBytes(10_000, 4);
    await fs.writeFile(path.join(dir, 'boot.bin'), boot);
    await fs.writeFile(path.join(dir, 'fs, one.bin.gz'), gzipSync(fsImage));
    const parts = await loadFirmware({
      source: 'file',
      file: `0x0=${path.join(dir, 'boot.bin')}, 0x300000=${path.join(dir, 'fs, one.bin.gz')}`,
    });
    assert.deepEqual(
      parts.map((p) => p.address),
      [0, 0x300000],
    );
    assert.deepEqual(parts[0].data, boot);
    assert.deepEqual(parts[1].data, fsImage);
  });

  it('says the same for a missing file, a directory and a FIFO, without naming which it is', async () => {
    const fifo = path.join(dir, 'fifo');
    execFileSync('mkfifo', [fifo]);
    const messages: string[] = [];
    for (const file of [path.join(dir, 'nope.bin'), dir, fifo]) {
      await assert.rejects(readFirmwareFile(file), (error: unknown) => {
        assert.ok(error instanceof FlashError && error.code === 'invalid-image');
        messages.push(error.message.replace(file, '<path>'));
        return true;
      });
    }
    assert.equal(new Set(messages).size, 1, messages.join('\n'));
    assert.match(messages[0], /<path> cannot be read: it must be a regular file that Node-RED may read/);
  });

  it('refuses a file above 16 MB without naming its size', async () => {
    const big = path.join(dir, 'big.bin');
    await fs.writeFile(big, '');
    await fs.truncate(big, SIXTEEN_MB + 1);
    await assert.rejects(
      loadFirmware({ source: 'file', file: big }),
      (error: unknown) => isFlashError('image-too-large', /is larger than 16 MB/)(error) && !(error as Error).message.includes('16777217'),
    );
  });

  it('stops reading at the limit a file that reports size 0 but never ends (/proc)', async function () {
    this.timeout(20000);
    // pagemap has 8 bytes for every page of the address space: far more than 16 MB, with size 0 in stat.
    assert.equal((await fs.stat('/proc/self/pagemap')).size, 0);
    await assert.rejects(readFirmwareFile('/proc/self/pagemap'), isFlashError('image-too-large', /is larger than 16 MB/));
  });

  it('takes a Buffer payload, unpacks gzip, and refuses anything else', async () => {
    const bytes = Buffer.from([0xe9, 0, 0, 0]);
    assert.equal(imageFromPayload(bytes), bytes);
    assert.deepEqual(await loadFirmware({ source: 'msg', payload: gzipSync(bytes) }), [{ address: 0, data: new Uint8Array(bytes) }]);
    assert.throws(() => imageFromPayload('e9000000'), isFlashError('invalid-image', /not string/));
    assert.throws(() => imageFromPayload(null), isFlashError('invalid-image', /not null/));
    assert.throws(() => imageFromPayload({ type: 'Buffer', data: [1] }), isFlashError('invalid-image', /not object/));
    assert.throws(
      () => imageFromPayload(new Uint8Array(SIXTEEN_MB + 1)),
      isFlashError('image-too-large', /msg.payload is larger than 16 MB/),
    );
  });

  it('takes an array of { address, data } parts, gzip ones unpacked, and bounds what they unpack to', async () => {
    const app = patternBytes(5000, 2);
    const parts = await loadFirmware({
      source: 'msg',
      payload: [
        { address: 0, data: Buffer.from([0xe9]) },
        { address: 0x1000, data: gzipSync(app) },
      ],
    });
    assert.deepEqual(parts[1], { address: 0x1000, data: app });
    const bomb = gzipSync(new Uint8Array(SIXTEEN_MB + 1));
    assert.ok(bomb.length < 64 * 1024);
    await assert.rejects(
      loadFirmware({ source: 'msg', payload: bomb }),
      isFlashError('image-too-large', /msg.payload unpacks to more than 16 MB/),
    );
    await assert.rejects(
      loadFirmware({ source: 'msg', payload: [{ address: 0, data: 'x' }] }),
      isFlashError('invalid-image', /msg.payload\[0\] needs \{ address, data \} with data a Buffer, not string/),
    );
    await assert.rejects(
      loadFirmware({ source: 'msg', payload: [{ address: 0, data: Uint8Array.of(0x1f, 0x8b, 1, 2) }] }),
      isFlashError('invalid-image', /starts as gzip data but does not unpack/),
    );
  });
});
