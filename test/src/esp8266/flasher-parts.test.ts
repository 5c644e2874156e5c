// Firmware in several parts on the virtual board, each layout read back with the read mode's code
// path (readFlash) and compared byte for byte.
import assert from 'node:assert/strict';
import { gzipSync } from 'node:zlib';
import { FlashBackup } from '../../../src/esp8266/flash-backup';
import { FlashError } from '../../../src/esp8266/flash-errors';
import { readFlash } from '../../../src/esp8266/flash-read';
import { FlashPart, flashImage } from '../../../src/esp8266/flasher';
import { loadFirmware } from '../../../src/esp8266/firmware-source';
import { FlashProgress } from '../../../src/esp8266/flash-progress';
import '../../../src/virtual-ports';
import { createSerialLink } from '../../../src/serial/open-port';
import { getVirtualBoard, resetVirtualBoards } from '../../../src/sim/host/registry';
import { buildArduinoSingleFile, buildLargeTestImage, buildTestImage, buildV2TestImage, patternBytes } from '../../support/image-builders';

const MB = 1024 * 1024;
const base = { createLink: createSerialLink, reset: 'auto' as const, flashBaudRate: 921600 };

/** Flashes `parts` on a fresh board, then reads every part back through READ_FLASH and compares. */
async function flashAndReadBack(name: string, parts: FlashPart[], flashSize = 4 * MB): Promise<void> {
  const board = getVirtualBoard(name, { flashSize });
  const result = await flashImage({ ...base, path: `sim:${name}`, image: parts });
  assert.equal(result.verified, true);
  assert.deepEqual(
    result.parts.map((p) => p.address),
    parts.map((p) => p.address).sort((a, b) => a - b),
  );
  for (const part of parts) {
    const read = await readFlash({ ...base, path: `sim:${name}`, address: part.address, size: part.data.length });
    assert.deepEqual(read.bytes, part.data, `the part at 0x${part.address.toString(16)} reads back as written`);
  }
  assert.equal(board.mode, 'running');
}

describe('flasher: firmware in several parts, read back', () => {
  afterEach(() => resetVirtualBoards());

  it('writes a two-part firmware: an image at 0 and data at 0x100000', async () => {
    await flashAndReadBack('parts-two', [
      { address: 0, data: buildLargeTestImage(40 * 1024) },
      { address: 0x100000, data: patternBytes(20_000, 3) },
    ]);
  });

  it('writes a NONOS SDK build: boot loader at 0, v2 application at 0x1000, init data and blank near the end of flash', async () => {
    const initData = patternBytes(128, 8);
    await flashAndReadBack('parts-nonos', [
      { address: 0, data: buildTestImage({ segments: [{ address: 0x4010f000, data: patternBytes(2048, 6) }], entryPoint: 0x4010f000 }) },
      { address: 0x1000, data: buildV2TestImage(32 * 1024) },
      { address: 4 * MB - 0x4000, data: initData },
      { address: 4 * MB - 0x2000, data: new Uint8Array(4096).fill(0xff) },
    ]);
  });

  it('writes the Arduino/Tasmota single file at 0', async () => {
    await flashAndReadBack('parts-arduino', [{ address: 0, data: buildArduinoSingleFile() }]);
  });

  it('unpacks a gzip payload (as Tasmota ships its .bin.gz) and writes what it holds', async () => {
    const image = buildArduinoSingleFile(64 * 1024);
    const parts = await loadFirmware({ source: 'msg', payload: gzipSync(image) });
    await flashAndReadBack('parts-gzip', parts);
    assert.deepEqual(parts[0].data, image);
  });

  it('writes a filesystem-like image at 0x300000 beside the application', async () => {
    // A LittleFS-like image: mostly erased blocks with a few written ones.
    const filesystem = new Uint8Array(64 * 1024).fill(0xff);
    filesystem.set(patternBytes(4096, 12), 0);
    filesystem.set(patternBytes(4096, 13), 8 * 4096);
    await flashAndReadBack('parts-fs', [
      { address: 0, data: buildTestImage() },
      { address: 0x300000, data: filesystem },
    ]);
  });

  it('skips unchanged sectors part by part', async () => {
    const board = getVirtualBoard('parts-skip');
    const app = buildLargeTestImage(40 * 1024);
    const data = patternBytes(3 * 4096, 4);
    await flashImage({
      ...base,
      path: 'sim:parts-skip',
      image: [
        { address: 0, data: app },
        { address: 0x200000, data },
      ],
    });
    const changed = Uint8Array.from(data);
    changed[4096 + 7] ^= 0xff;
    const again = await flashImage({
      ...base,
      path: 'sim:parts-skip',
      image: [
        { address: 0, data: app },
        { address: 0x200000, data: changed },
      ],
    });
    assert.deepEqual(
      again.parts.map((p) => [p.address, p.sectorsWritten]),
      [
        [0, 0],
        [0x200000, 1],
      ],
    );
    assert.equal(again.bytesWritten, 4096);
    assert.deepEqual(board.flash.read(0x200000, changed.length), changed);
  });

  it('refuses a layout before the port is taken, with the reason', async () => {
    const board = getVirtualBoard('parts-refused');
    await assert.rejects(
      flashImage({
        ...base,
        path: 'sim:parts-refused',
        image: [
          { address: 0, data: buildTestImage() },
          { address: 0x1800, data: patternBytes(8) },
        ],
      }),
      (error: unknown) => error instanceof FlashError && /0x001800 does not start on a 4 KB sector boundary/.test(error.message),
    );
    assert.equal(board.connected, false);
    await assert.rejects(
      flashImage({ ...base, path: 'sim:parts-refused', image: [{ address: 0x1000, data: flip(buildV2TestImage(), 50) }] }),
      (error: unknown) => error instanceof FlashError && /0x001000: CRC mismatch/.test(error.message),
    );
    assert.equal(board.connected, false);
  });

  it("refuses a part past the end of the board's flash before anything is erased", async () => {
    const board = getVirtualBoard('parts-small', { flashSize: 1 * MB, firmware: buildTestImage() });
    const before = board.flash.read(0, 4096);
    await assert.rejects(
      flashImage({
        ...base,
        path: 'sim:parts-small',
        image: [
          { address: 0, data: buildTestImage({ sizeFrequency: 0x20 }) },
          { address: 0x300000, data: patternBytes(4096) },
        ],
      }),
      (error: unknown) => error instanceof FlashError && /0x300000 \(4096 bytes\) does not fit the board's 1 MB flash/.test(error.message),
    );
    assert.deepEqual(board.flash.read(0, 4096), before);
  });
});

function flip(bytes: Uint8Array, offset: number): Uint8Array {
  const copy = Uint8Array.from(bytes);
  copy[offset] ^= 1;
  return copy;
}

describe('flasher: reading the flash', () => {
  afterEach(() => resetVirtualBoards());

  it('reads the whole flash by default, with progress, and restarts the board', async () => {
    const image = buildLargeTestImage(40 * 1024);
    const board = getVirtualBoard('read-all', { flashSize: 512 * 1024, firmware: image });
    board.flash.program(0x70000, patternBytes(4096, 9));
    const progress: FlashProgress[] = [];
    const result = await readFlash({ ...base, path: 'sim:read-all', onProgress: (p) => progress.push(p) });
    assert.equal(result.size, 512 * 1024);
    assert.deepEqual(result.bytes, board.flash.read(0, 512 * 1024));
    assert.equal(result.restarted, true);
    assert.match(result.mac, /^([0-9a-f]{2}:){5}[0-9a-f]{2}$/);
    const reading = progress.filter((p) => p.phase === 'reading');
    assert.ok(reading.length >= 10, `${reading.length} reading updates`);
    assert.deepEqual(
      progress.map((p) => p.percent),
      [...progress.map((p) => p.percent)].sort((a, b) => a - b),
    );
    assert.equal(progress[progress.length - 1].phase, 'done');
  });

  it("refuses a read past the end of the board's flash, and one no ESP8266 could answer before the port is taken", async () => {
    const board = getVirtualBoard('read-past', { flashSize: 1 * MB });
    await assert.rejects(
      readFlash({ ...base, path: 'sim:read-past', address: 0xff000, size: 8192 }),
      (error: unknown) =>
        error instanceof FlashError && error.code === 'invalid-read' && /does not fit the board's 1 MB flash/.test(error.message),
    );
    resetVirtualBoards();
    const fresh = getVirtualBoard('read-never');
    await assert.rejects(
      readFlash({ ...base, path: 'sim:read-never', address: 16 * MB }),
      (error: unknown) => error instanceof FlashError && error.code === 'invalid-read',
    );
    assert.equal(fresh.connected, false);
    assert.equal(board.connected, false);
  });

  it('backs up what a write replaces before anything is erased, and nothing when nothing changes', async () => {
    const old = buildLargeTestImage(30 * 1024, 41);
    const board = getVirtualBoard('backup', { firmware: old });
    const oldData = patternBytes(4096, 42);
    board.flash.program(0x100000, oldData);
    const saved: FlashBackup[] = [];
    const image: FlashPart[] = [
      { address: 0, data: buildLargeTestImage(30 * 1024, 43) },
      { address: 0x100000, data: patternBytes(100, 44) },
    ];
    const result = await flashImage({
      ...base,
      path: 'sim:backup',
      image,
      onStep: (step) => {
        if (step === 'write') assert.equal(saved.length, 1, 'saved before writing');
      },
      backup: async (backup) => {
        saved.push(backup);
        return ['/backups/a.bin', '/backups/b.bin'];
      },
    });
    assert.deepEqual(result.backupFiles, ['/backups/a.bin', '/backups/b.bin']);
    const [{ regions, mac }] = saved;
    assert.equal(mac, result.mac);
    assert.deepEqual(
      regions.map((r) => [r.address, r.bytes.length]),
      [
        [0, Math.ceil(old.length / 4096) * 4096],
        [0x100000, 4096],
      ],
    );
    assert.deepEqual(regions[0].bytes.subarray(0, old.length), old);
    assert.deepEqual(regions[1].bytes, oldData);

    const again = await flashImage({
      ...base,
      path: 'sim:backup',
      image,
      backup: async () => {
        throw new Error('nothing to back up');
      },
    });
    assert.deepEqual(again.backupFiles, []);
  });

  it('writes nothing when the backup cannot be saved', async () => {
    const old = buildLargeTestImage(30 * 1024, 51);
    const board = getVirtualBoard('backup-fails', { firmware: old });
    await assert.rejects(
      flashImage({
        ...base,
        path: 'sim:backup-fails',
        image: buildLargeTestImage(30 * 1024, 52),
        backup: async () => {
          throw new Error('disk full');
        },
      }),
      (error: unknown) => error instanceof FlashError && error.code === 'backup-failed' && /disk full/.test(error.message),
    );
    assert.deepEqual(board.flash.read(0, old.length), old);
  });
});
