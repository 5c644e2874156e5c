import assert from 'node:assert/strict';
import { FlashError } from '../../../src/esp8266/flash-errors';
import { FlashProgress, flashImage } from '../../../src/esp8266/flasher';
import '../../../src/virtual-ports';
import { createSerialLink } from '../../../src/serial/open-port';
import { getVirtualBoard, resetVirtualBoards } from '../../../src/sim/host/registry';
import { buildLargeTestImage, buildTestImage, md5Hex, patternBytes } from '../../support/image-builders';

function isFlashError(code: string, pattern: RegExp) {
  return (error: unknown) => error instanceof FlashError && error.code === code && pattern.test(error.message);
}

const base = { createLink: createSerialLink, reset: 'auto' as const, flashBaudRate: 921600 };

describe('flasher against the virtual ESP8266 behind the serialport binding', () => {
  afterEach(() => resetVirtualBoards());

  it('writes, verifies and boots an image; the flash reads back byte-exact', async () => {
    const board = getVirtualBoard('flash-ok');
    const image = buildLargeTestImage(96 * 1024);
    const phases: FlashProgress[] = [];
    const result = await flashImage({ ...base, path: 'sim:flash-ok', image, onProgress: (p) => phases.push(p) });
    assert.deepEqual(board.flash.read(0, image.length), image);
    assert.equal(result.chip, 'ESP8266EX');
    assert.equal(result.mac, board.macAddress);
    assert.equal(result.flashSizeBytes, board.flash.size);
    assert.equal(result.bytesWritten, image.length);
    assert.ok(result.compressedBytes > 0);
    assert.equal(result.md5, md5Hex(image));
    assert.equal(result.verified, true);
    assert.equal(result.restarted, true);
    assert.equal(result.flashBaudRate, 921600);
    assert.equal(board.mode, 'running', 'the hard reset boots the new image');
    const percents = phases.map((p) => p.percent);
    assert.deepEqual(
      [...percents].sort((a, b) => a - b),
      percents,
      'progress never goes backwards',
    );
    assert.ok(phases.some((p) => p.phase === 'writing' && p.percent > 15 && p.percent < 95));
    assert.equal(phases[phases.length - 1].phase, 'done');
  });

  it('can send the image uncompressed, which puts every byte on the wire', async () => {
    const board = getVirtualBoard('flash-plain');
    const image = buildLargeTestImage(48 * 1024);
    const before = board.wireSeconds.toDevice;
    const result = await flashImage({ ...base, path: 'sim:flash-plain', image, compress: false });
    assert.deepEqual(board.flash.read(0, image.length), image);
    assert.equal(result.compressedBytes, image.length, 'progress counts the image bytes themselves');
    assert.equal(result.verified, true);
    const sentSeconds = board.wireSeconds.toDevice - before;
    assert.ok(sentSeconds >= (image.length * 10) / 921600, `${sentSeconds.toFixed(3)} s of host bytes on the wire`);
  });

  it('sets flash mode, frequency and size in the written header when asked', async () => {
    const board = getVirtualBoard('flash-params');
    const image = buildTestImage();
    await flashImage({ ...base, path: 'sim:flash-params', image, flashParams: { mode: 'dout', frequency: '80m', size: '1MB' } });
    const header = board.flash.read(0, 4);
    assert.equal(header[2], 3);
    assert.equal(header[3], 0x2f);
    assert.deepEqual(board.flash.read(4, image.length - 4), image.subarray(4));
  });

  it('writes the size of the board\'s flash into the header with size "detect"', async () => {
    const board = getVirtualBoard('flash-detect', { flashSize: 1024 * 1024 });
    const image = buildTestImage({ sizeFrequency: 0x40 });
    const result = await flashImage({
      ...base,
      path: 'sim:flash-detect',
      image,
      flashParams: { mode: 'keep', frequency: 'keep', size: 'detect' },
    });
    assert.equal(result.flashSize, '1 MB');
    assert.equal(board.flash.read(3, 1)[0], 0x20, '1 MB, 40 MHz');
    assert.deepEqual(board.flash.read(4, image.length - 4), image.subarray(4));
  });

  it('erases the whole flash first when asked', async () => {
    const old = buildTestImage({ segments: [{ address: 0x40201010, data: patternBytes(64 * 1024, 11) }] });
    const board = getVirtualBoard('flash-erase', { firmware: old });
    const image = buildTestImage();
    const result = await flashImage({ ...base, path: 'sim:flash-erase', image, eraseAll: true });
    assert.equal(result.erased, true);
    assert.deepEqual(board.flash.read(0, image.length), image);
    assert.ok(
      board.flash.read(image.length, 64 * 1024).every((byte) => byte === 0xff),
      'the old image is gone',
    );
  });

  it('reports an MD5 mismatch when the flash does not hold what was sent', async () => {
    const board = getVirtualBoard('flash-md5');
    const image = buildTestImage();
    await assert.rejects(
      flashImage({
        ...base,
        path: 'sim:flash-md5',
        image,
        // A worn flash cell: one bit stays 0 after the write.
        onProgress: (p) => {
          if (p.phase === 'verifying') board.flash.program(16, Uint8Array.of(image[16] & 0xfe));
        },
      }),
      isFlashError('md5-mismatch', /verification failed: flash MD5 [0-9a-f]{32} differs from the image's [0-9a-f]{32}/),
    );
  });

  it('fails with "port lost" when the board is unplugged mid-flash, and a retry after replugging succeeds', async () => {
    const board = getVirtualBoard('flash-unplug');
    const image = buildLargeTestImage(128 * 1024);
    let unplugged = false;
    await assert.rejects(
      flashImage({
        ...base,
        path: 'sim:flash-unplug',
        image,
        onProgress: (p) => {
          if (p.phase === 'writing' && p.percent >= 40 && !unplugged) {
            unplugged = true;
            board.unplug();
          }
        },
      }),
      isFlashError('port-lost', /sim:flash-unplug went away during the flash/),
    );
    board.plug();
    const result = await flashImage({ ...base, path: 'sim:flash-unplug', image });
    assert.equal(result.verified, true);
    assert.deepEqual(board.flash.read(0, image.length), image);
  });

  it('gets no answer from a board running its application when reset is none', async () => {
    getVirtualBoard('flash-silent', { firmware: buildTestImage() });
    await assert.rejects(
      flashImage({ ...base, path: 'sim:flash-silent', image: buildTestImage(), reset: 'none', connectAttempts: 1 }),
      isFlashError('no-answer', /hold BOOT\/FLASH while pressing RESET/),
    );
  });

  it('flashes with reset none once the board was put into download mode by hand', async () => {
    const board = getVirtualBoard('flash-manual', { firmware: buildTestImage() });
    board.pressReset(true);
    // A person triggers the flash well after releasing the buttons; the ROM has printed its boot line by then.
    await new Promise((resolve) => setTimeout(resolve, 200));
    const image = buildTestImage({ segments: [{ address: 0x40100000, data: patternBytes(256, 4) }] });
    const result = await flashImage({ ...base, path: 'sim:flash-manual', image, reset: 'none' });
    assert.equal(result.restarted, false);
    assert.deepEqual(board.flash.read(0, image.length), image);
  });

  it('rejects a corrupted image before a byte reaches the board', async () => {
    const board = getVirtualBoard('flash-bad');
    const before = board.flash.read(0, 4096);
    const image = buildTestImage();
    image[image.length - 1] ^= 0x55;
    await assert.rejects(flashImage({ ...base, path: 'sim:flash-bad', image }), isFlashError('invalid-image', /checksum mismatch/));
    assert.equal(board.connected, false, 'the port was never opened');
    assert.deepEqual(board.flash.read(0, 4096), before);
  });

  it('rejects an image whose header announces more flash than the board has, before writing', async () => {
    const board = getVirtualBoard('flash-small', { flashSize: 1024 * 1024 });
    const image = buildTestImage({ sizeFrequency: 0x40 });
    await assert.rejects(
      flashImage({ ...base, path: 'sim:flash-small', image }),
      isFlashError('invalid-image', /header says 4MB .* board has 1 MB/),
    );
    assert.ok(board.flash.read(0, 64).every((byte) => byte === 0xff));
  });

  it('syncs with the ROM at the flash rate, so no baud change is needed', async () => {
    const board = getVirtualBoard('flash-fast-sync');
    const lines: string[] = [];
    const result = await flashImage({ ...base, path: 'sim:flash-fast-sync', image: buildTestImage(), log: (line) => lines.push(line) });
    assert.equal(result.flashBaudRate, 921600);
    assert.ok(!lines.some((line) => /changing baud/i.test(line)), lines.join('\n'));
    assert.equal(board.mode, 'running');
  });

  it('falls back to syncing at 115200 and changing the rate when the board does not answer at the flash rate', async () => {
    const board = getVirtualBoard('flash-slow-rom');
    board.pressReset(true);
    // As a person who pressed RST with FLASH held: the ROM's 74880-baud boot text is out before the
    // flasher (reset "none") opens the port at 115200, where it would read as noise mid-SYNC.
    await board.transmitIdle();
    // A board running its application answers no SYNC: at 921600 it stands in for a ROM that cannot detect that rate.
    getVirtualBoard('flash-deaf', { firmware: buildTestImage() });
    const lines: string[] = [];
    const image = buildTestImage();
    const result = await flashImage({
      ...base,
      path: 'sim:flash-slow-rom',
      image,
      reset: 'none',
      log: (line) => lines.push(line),
      createLink: (path, baudRate) => createSerialLink(baudRate === 115200 ? path : 'sim:flash-deaf', baudRate),
    });
    assert.equal(result.verified, true);
    assert.equal(result.flashBaudRate, 921600);
    assert.ok(
      lines.some((line) => /no answer at 921600 baud; syncing at 115200/.test(line)),
      lines.join('\n'),
    );
    assert.ok(
      lines.some((line) => /changing baud/i.test(line)),
      lines.join('\n'),
    );
    assert.deepEqual(board.flash.read(0, image.length), image);
  });
});
