import assert from 'node:assert/strict';
import { createHash, randomBytes } from 'node:crypto';
import { deflateSync } from 'node:zlib';
import { resetVirtualBoards } from '../../../../src/sim/host/registry';
import { ROM_SYNC_VALUE } from '../../../../src/sim/loader/rom-loader';
import { waitUntil, waitUntilSteady } from '../../../support/wait';
import { ESP_FLASHER_STUB_TEXT, LEGACY_STUB_TEXT, openRomLoader, startStub, type LoaderSession } from './loader-session';
import { OP, RawLoaderClient, words } from './raw-loader-client';

const BLOCK = 0x4000;

async function deflateWrite(client: RawLoaderClient, address: number, data: Uint8Array, blockSize = BLOCK): Promise<void> {
  const compressed = deflateSync(data, { level: 9 });
  const blocks = Math.ceil(compressed.length / blockSize);
  const begin = await client.command(OP.FLASH_DEFL_BEGIN, words(data.length, blocks, blockSize, address));
  assert.deepEqual(begin.status, [0, 0], 'FLASH_DEFL_BEGIN');
  for (let seq = 0; seq < blocks; seq++) {
    const reply = await client.dataCommand(OP.FLASH_DEFL_DATA, seq, compressed.subarray(seq * blockSize, (seq + 1) * blockSize));
    assert.deepEqual(reply.status, [0, 0], `FLASH_DEFL_DATA ${seq}`);
  }
}

async function readFlash(client: RawLoaderClient, address: number, size: number): Promise<{ data: Buffer; digest: Buffer }> {
  client.discard();
  const reply = await client.command(OP.READ_FLASH, words(address, size, 0x1000, 64));
  assert.deepEqual(reply.status, [0, 0]);
  const parts: Uint8Array[] = [];
  let received = 0;
  while (received < size) {
    const packet = await client.nextFrame();
    parts.push(packet);
    received += packet.length;
    await client.writeRaw(Buffer.from([0xc0, ...words(received), 0xc0]));
  }
  return { data: Buffer.concat(parts), digest: Buffer.from(await client.nextFrame()) };
}

describe('sim/loader/flasher-stub (raw protocol through the serialport binding)', () => {
  let session: LoaderSession | undefined;

  afterEach(async () => {
    await session?.client.close();
    session = undefined;
    resetVirtualBoards();
  });

  async function openStub(textStart?: number): Promise<LoaderSession> {
    session = await openRomLoader({ flashSize: 1024 * 1024 });
    await startStub(session.client, textStart);
    return session;
  }

  it('writes zlib-compressed data (several blocks), verifies with a raw 16-byte MD5, reads back byte-exact', async () => {
    const { client, board } = await openStub();
    await client.command(OP.CHANGE_BAUDRATE, words(921600, 115200));
    await client.setBaud(921600);
    const data = Buffer.concat([randomBytes(40_000), Buffer.alloc(30_000, 0x42)]);
    board.flash.program(0x10000, new Uint8Array(0x1000)); // stale bits the just-in-time erase must clear
    await deflateWrite(client, 0x10000, data, 0x2000);
    assert.deepEqual((await client.command(OP.FLASH_DEFL_END, words(1))).status, [0, 0]);
    assert.deepEqual(Buffer.from(board.flash.read(0x10000, data.length)), data);

    const md5 = await client.command(OP.SPI_FLASH_MD5, words(0x10000, data.length, 0, 0));
    assert.deepEqual(md5.status, [0, 0]);
    assert.deepEqual(Buffer.from(md5.body), createHash('md5').update(data).digest());

    const back = await readFlash(client, 0x10000, 10_000);
    assert.deepEqual(back.data, data.subarray(0, 10_000));
    assert.deepEqual(back.digest, createHash('md5').update(data.subarray(0, 10_000)).digest());
  });

  it('answers SPI_FLASH_MD5 on any region, as the stub does: 64 KiB, one sector, an unaligned partial range, nothing', async () => {
    const { client, board } = await openStub();
    const contents = randomBytes(0x12000);
    board.flash.program(0x20000, contents);
    const md5Of = (bytes: Uint8Array) => createHash('md5').update(bytes).digest();
    for (const [address, length] of [
      [0x20000, 0x10000],
      [0x21000, 0x1000],
      [0x20003, 0x11ffd],
      [0x20000, 0],
    ]) {
      const reply = await client.command(OP.SPI_FLASH_MD5, words(address, length, 0, 0));
      assert.deepEqual(reply.status, [0, 0], `MD5 of ${length} bytes at 0x${address.toString(16)}`);
      assert.deepEqual(Buffer.from(reply.body), md5Of(board.flash.read(address, length)));
    }
    // Erased flash past what was programmed: the MD5 of 0xFF bytes.
    const erased = await client.command(OP.SPI_FLASH_MD5, words(0x40000, 0x1000, 0, 0));
    assert.deepEqual(Buffer.from(erased.body), md5Of(new Uint8Array(0x1000).fill(0xff)));
    const beyond = await client.command(OP.SPI_FLASH_MD5, words(board.flash.size - 0x1000, 0x2000, 0, 0));
    assert.deepEqual(beyond.status, [0xc4, 0x00], 'a range past the end of the chip is a failed SPI operation');
  });

  it('streams READ_FLASH only as fast as the host acknowledges', async () => {
    const { client } = await openStub();
    client.discard();
    await client.command(OP.READ_FLASH, words(0, 0x1000, 0x400, 64));
    // A 1 KiB packet takes 89 ms at 115200 baud; once it is in, nothing more may come unasked.
    await waitUntil(() => client.raw.length >= 0x400, 5000, 'the first packet');
    await waitUntilSteady(() => client.raw.length, 200, 5000, 'the bytes received');
    const unacknowledged = await client.collectFrames(50);
    assert.equal(unacknowledged.length, 1, 'one packet in flight until it is acknowledged');
    await client.writeRaw(Buffer.from([0xc0, ...words(0x400), 0xc0]));
    assert.equal((await client.nextFrame()).length, 0x400);
  });

  /** Packets that arrive unasked after READ_FLASH of 4 packets and `extraAcks` acknowledgements of 0 bytes. */
  async function packetsBeforeAnyRealAck(client: RawLoaderClient, maxInFlight: number, extraAcks: number): Promise<number> {
    client.discard();
    await client.command(OP.READ_FLASH, words(0, 0x1000, 0x400, maxInFlight));
    for (let i = 0; i < extraAcks; i++) await client.writeRaw(Buffer.from([0xc0, ...words(0), 0xc0]));
    await waitUntil(() => client.raw.length >= 0x400, 5000, 'the first packet');
    await waitUntilSteady(() => client.raw.length, 200, 5000, 'the bytes received');
    return (await client.collectFrames(50)).length;
  }

  it('esp-flasher-stub: flow control counts acknowledgement frames and ignores max_inflight', async () => {
    const { client } = await openStub();
    assert.equal(await packetsBeforeAnyRealAck(client, 0x4000, 0), 1, 'one packet in flight, whatever max_inflight says');
    await client.close();
    resetVirtualBoards();
    const again = await openStub();
    assert.equal(await packetsBeforeAnyRealAck(again.client, 64, 1), 2, 'an extra acknowledgement frame lets a second packet come');
    // The read still ends only once every byte is acknowledged, with the MD5 of all of them.
    await again.client.writeRaw(Buffer.from([0xc0, ...words(0x400), 0xc0]));
    await again.client.writeRaw(Buffer.from([0xc0, ...words(0x800), 0xc0]));
    await again.client.nextFrame();
    await again.client.nextFrame();
    await again.client.writeRaw(Buffer.from([0xc0, ...words(0xc00), 0xc0]));
    await again.client.writeRaw(Buffer.from([0xc0, ...words(0x1000), 0xc0]));
    const digest = await again.client.nextFrame();
    assert.deepEqual(Buffer.from(digest), createHash('md5').update(again.board.flash.read(0, 0x1000)).digest());
  });

  it('legacy stub: max_inflight bounds the unacknowledged bytes, so 64 means one packet', async () => {
    const { client } = await openStub(LEGACY_STUB_TEXT);
    assert.equal(await packetsBeforeAnyRealAck(client, 64, 1), 1, 'an acknowledgement of 0 bytes frees nothing');
    await client.close();
    resetVirtualBoards();
    const again = await openStub(LEGACY_STUB_TEXT);
    assert.equal(await packetsBeforeAnyRealAck(again.client, 0x800, 0), 2, 'max_inflight 2 KiB: two 1 KiB packets');
  });

  it('erases a region (4 KiB aligned) and the whole chip', async () => {
    const { client, board } = await openStub();
    board.flash.program(0, new Uint8Array(0x3000));
    assert.deepEqual((await client.command(OP.ERASE_REGION, words(0x1000, 0x1000))).status, [0, 0]);
    assert.equal(board.flash.read(0xfff, 1)[0], 0);
    assert.ok(board.flash.read(0x1000, 0x1000).every((b) => b === 0xff));
    assert.equal(board.flash.read(0x2000, 1)[0], 0);
    assert.deepEqual((await client.command(OP.ERASE_REGION, words(0x1001, 0x1000))).status, [0xc0, 0x00], 'unaligned');
    assert.deepEqual((await client.command(OP.ERASE_FLASH)).status, [0, 0]);
    assert.ok(board.flash.read(0, 0x3000).every((b) => b === 0xff));
  });

  it('answers CHANGE_BAUDRATE at the old rate, then speaks only the new one', async () => {
    const { client, board } = await openStub();
    const reply = await client.command(OP.CHANGE_BAUDRATE, words(921600, 115200));
    assert.deepEqual(reply.status, [0, 0]);
    await waitUntil(() => board.baud === 921600, 5000, 'the stub to switch rates');
    // A host still at 115200 is not understood any more: no answer comes back.
    client.discard();
    await client.send(OP.READ_REG, words(0x40001000));
    await waitUntilSteady(() => client.raw.length, 100, 5000, 'the bytes received');
    assert.equal(client.raw.length, 0);
    await client.setBaud(921600);
    assert.equal((await client.command(OP.READ_REG, words(0x40001000))).value, 0xfff0c101);
  });

  it('uses stub error codes: bad checksum C1 00, GET_SECURITY_INFO FF 00, unknown op C3 00', async () => {
    const { client } = await openStub();
    await client.command(OP.FLASH_DEFL_BEGIN, words(100, 1, BLOCK, 0));
    const payload = Uint8Array.of(1, 2, 3, 4);
    const bad = await client.command(OP.FLASH_DEFL_DATA, Buffer.concat([words(4, 0, 0, 0), payload]), 0x12);
    assert.deepEqual(bad.status, [0xc1, 0x00]);
    assert.deepEqual((await client.command(OP.GET_SECURITY_INFO)).status, [0xff, 0x00]);
    const unknown = await client.command(0x7e);
    assert.equal(unknown.op, 0x7e);
    assert.deepEqual(unknown.status, [0xc3, 0x00]);
  });

  it('reports a corrupt compressed stream on the command after the block (as the stub defers it)', async () => {
    const { client } = await openStub();
    const garbage = Uint8Array.from({ length: 64 }, (_, i) => (i * 97 + 5) & 0xff);
    await client.command(OP.FLASH_DEFL_BEGIN, words(4096, 2, BLOCK, 0));
    assert.deepEqual((await client.dataCommand(OP.FLASH_DEFL_DATA, 0, garbage)).status, [0, 0], 'acknowledged before inflating');
    const next = await client.dataCommand(OP.FLASH_DEFL_DATA, 1, garbage);
    assert.deepEqual(next.status, [0xc7, 0x00]);
  });

  it('refuses FLASH_DEFL_END before all announced bytes arrived, and data beyond them', async () => {
    const { client } = await openStub();
    const data = new Uint8Array(8192).fill(7);
    await client.command(OP.FLASH_DEFL_BEGIN, words(data.length + 4096, 1, BLOCK, 0));
    await client.dataCommand(OP.FLASH_DEFL_DATA, 0, deflateSync(data));
    assert.notDeepEqual((await client.command(OP.FLASH_DEFL_END, words(1))).status, [0, 0]);

    await client.command(OP.FLASH_DEFL_BEGIN, words(100, 1, BLOCK, 0));
    await client.dataCommand(OP.FLASH_DEFL_DATA, 0, deflateSync(data));
    assert.deepEqual((await client.command(OP.FLASH_DEFL_END, words(1))).status, [0xc9, 0x00], 'too much data');
  });

  it('accepts Python esptool v3 ending: FLASH_BEGIN(0, 0) then FLASH_DEFL_END', async () => {
    const { client, board } = await openStub();
    const data = randomBytes(5000);
    const padded = Buffer.concat([data, Buffer.alloc(3, 0xff)]);
    await deflateWrite(client, 0x8000, padded);
    assert.deepEqual((await client.command(OP.FLASH_BEGIN, words(0, 0, BLOCK, 0))).status, [0, 0]);
    assert.deepEqual((await client.command(OP.FLASH_DEFL_END, words(1))).status, [0, 0]);
    assert.deepEqual(Buffer.from(board.flash.read(0x8000, padded.length)), padded);
  });

  it('writes uncompressed blocks with FLASH_BEGIN / FLASH_DATA', async () => {
    const { client, board } = await openStub();
    const block = randomBytes(0x1000);
    await client.command(OP.FLASH_BEGIN, words(0x2000, 2, 0x1000, 0x4000));
    assert.deepEqual((await client.dataCommand(OP.FLASH_DATA, 0, block)).status, [0, 0]);
    assert.deepEqual((await client.dataCommand(OP.FLASH_DATA, 1, block)).status, [0, 0]);
    assert.deepEqual((await client.command(OP.FLASH_END, words(1))).status, [0, 0]);
    assert.deepEqual(Buffer.from(board.flash.read(0x5000, 0x1000)), block);
  });

  it('runs the legacy stub Python esptool uploads, with its one-byte error status', async () => {
    const { client } = await openStub(LEGACY_STUB_TEXT);
    assert.equal((await client.sync())[0].value, 0);
    const payload = Uint8Array.of(1, 2, 3, 4);
    await client.command(OP.FLASH_BEGIN, words(4, 1, 0x400, 0));
    const bad = await client.command(OP.FLASH_DATA, Buffer.concat([words(4, 0, 0, 0), payload]), 0x12);
    assert.deepEqual(bad.status, [0xc1, 0x01]);
  });

  it('legacy stub: FLASH_END 0 is a software reset back into the ROM loader, where a second client syncs', async () => {
    const { client, board } = await openStub(LEGACY_STUB_TEXT);
    await client.command(OP.FLASH_BEGIN, words(0, 0, 0x400, 0));
    client.discard();
    assert.deepEqual((await client.command(OP.FLASH_END, words(0))).status, [0, 0]);
    await waitUntil(() => client.raw.length > 40, 2000, 'the ROM banner after the reset');
    assert.equal(board.mode, 'download');
    await client.close();
    // `--after no_reset`: the next esptool run opens the port and syncs with the ROM, as on a pty
    const second = new RawLoaderClient(client.path, 115200);
    await second.open();
    try {
      const replies = await second.sync();
      assert.equal(replies.length, 8);
      assert.equal(replies[0].value, ROM_SYNC_VALUE);
    } finally {
      await second.close();
    }
  });

  it('legacy stub: FLASH_END 1 and esp-flasher-stub: FLASH_END 0 stay in the stub', async () => {
    for (const [text, flag] of [
      [LEGACY_STUB_TEXT, 1],
      [ESP_FLASHER_STUB_TEXT, 0],
    ]) {
      const { client } = await openStub(text);
      await client.command(OP.FLASH_BEGIN, words(0, 0, 0x400, 0));
      assert.deepEqual((await client.command(OP.FLASH_END, words(flag))).status, [0, 0]);
      const replies = await client.sync();
      assert.equal(replies.length, 8);
      assert.equal(replies[0].value, 0, 'the stub still answers');
      await client.close();
      resetVirtualBoards();
    }
  });

  it('legacy stub: RUN_USER_CODE returns to the ROM flash boot (no banner); esp-flasher-stub ignores it', async () => {
    const legacy = await openStub(LEGACY_STUB_TEXT);
    legacy.client.discard();
    await legacy.client.send(OP.RUN_USER_CODE);
    await waitUntil(() => Buffer.from(legacy.client.raw).includes('ets_main.c'), 2000, 'the flash boot log');
    assert.doesNotMatch(Buffer.from(legacy.client.raw).toString('latin1'), /ets Jan/);
    assert.equal(legacy.board.mode, 'running');
    await legacy.client.close();
    resetVirtualBoards();

    const { client, board } = await openStub();
    await client.send(OP.RUN_USER_CODE);
    assert.equal((await client.sync())[0].value, 0);
    assert.equal(board.mode, 'download');
  });

  it('legacy stub: MEM_END jumps whenever the entry is not 0, even with the "stay" flag', async () => {
    const { client, board } = await openStub(LEGACY_STUB_TEXT);
    await client.command(OP.MEM_BEGIN, words(16, 1, 0x1800, 0x40108000));
    await client.dataCommand(OP.MEM_DATA, 0, new Uint8Array(16));
    assert.deepEqual((await client.command(OP.MEM_END, words(1, 0x40108004))).status, [0, 0]);
    await waitUntil(() => board.mode === 'running', 2000, 'the jump into unknown code');
    assert.equal((await client.sync()).length, 0);
  });
});
