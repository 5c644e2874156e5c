import assert from 'node:assert/strict';
import { resetVirtualBoards } from '../../../../src/sim/host/registry';
import { ROM_SYNC_VALUE, romErasedSectors } from '../../../../src/sim/loader/rom-loader';
import { waitUntil } from '../../../support/wait';
import { openRomLoader, startStub, type LoaderSession } from './loader-session';
import { OP, checksum, words } from './raw-loader-client';
import { waitUntilSteady } from '../../../support/wait';

describe('sim/loader/rom-loader (raw protocol through the serialport binding)', () => {
  let session: LoaderSession | undefined;

  afterEach(async () => {
    await session?.client.close();
    session = undefined;
    resetVirtualBoards();
  });

  it('answers SYNC eight times with the ROM value 0x20120707', async () => {
    session = await openRomLoader();
    const replies = await session.client.sync();
    assert.equal(replies.length, 8);
    for (const reply of replies) {
      assert.equal(reply.value, 0x20120707);
      assert.deepEqual(reply.status, [0, 0]);
    }
  });

  it('reads the chip magic, the eFuse MAC words and the UART divider of a 26 MHz crystal', async () => {
    session = await openRomLoader();
    const { client, board } = session;
    assert.equal((await client.command(OP.READ_REG, words(0x40001000))).value, 0xfff0c101);
    const mac0 = (await client.command(OP.READ_REG, words(0x3ff00050))).value;
    const mac1 = (await client.command(OP.READ_REG, words(0x3ff00054))).value;
    const mac3 = (await client.command(OP.READ_REG, words(0x3ff0005c))).value;
    assert.equal(mac3, 0);
    assert.equal((mac1 >> 16) & 0xff, 0, 'OUI 18:fe:34');
    const mac = [0x18, 0xfe, 0x34, (mac1 >> 8) & 0xff, mac1 & 0xff, (mac0 >>> 24) & 0xff];
    assert.equal(mac.map((b) => b.toString(16).padStart(2, '0')).join(':'), board.macAddress);
    const divider = (await client.command(OP.READ_REG, words(0x60000014))).value & 0xfffff;
    assert.equal(Math.round((115200 * divider) / 1e6 / 2), 26);
  });

  it('runs a flash-id command through SPI USR2/CMD/W0, ignoring a SPI_CMD write without the USR bit', async () => {
    session = await openRomLoader({ flashSize: 1024 * 1024 });
    const { client } = session;
    const write = (addr: number, value: number) => client.command(OP.WRITE_REG, words(addr, value, 0xffffffff, 0));
    await write(0x60000200, 0x17); // esptool-js 0.7 writes this first (the ESP32 path)
    await write(0x6000021c, 0x90000000);
    await write(0x60000224, 0x7000009f);
    await write(0x60000240, 0);
    await write(0x60000200, 1 << 18);
    assert.equal((await client.command(OP.READ_REG, words(0x60000200))).value & (1 << 18), 0, 'USR bit cleared when done');
    assert.equal((await client.command(OP.READ_REG, words(0x60000240))).value & 0xffffff, 0x1440ef);
  });

  it('answers an unsupported command (GET_SECURITY_INFO) with another op and status 01 05', async () => {
    session = await openRomLoader();
    const reply = await session.client.command(OP.GET_SECURITY_INFO);
    assert.notEqual(reply.op, OP.GET_SECURITY_INFO);
    assert.deepEqual(reply.status, [1, 0x05]);
    assert.equal((await session.client.command(OP.READ_REG, words(0x40001000))).value, 0xfff0c101, 'still in the loader');
  });

  it('reports a bad data checksum (07), a bad length (05) and an out-of-order block', async () => {
    session = await openRomLoader();
    const { client } = session;
    await client.command(OP.MEM_BEGIN, words(8, 2, 4, 0x3ffe8000));
    const block = Uint8Array.of(1, 2, 3, 4);
    const header = words(4, 0, 0, 0);
    const badSum = await client.command(OP.MEM_DATA, Buffer.concat([header, block]), checksum(block) ^ 0xff);
    assert.deepEqual(badSum.status, [1, 0x07]);
    const shortBlock = await client.command(OP.MEM_DATA, Buffer.concat([words(8, 0, 0, 0), block]), checksum(block));
    assert.deepEqual(shortBlock.status, [1, 0x05]);
    const outOfOrder = await client.dataCommand(OP.MEM_DATA, 1, block);
    assert.notDeepEqual(outOfOrder.status, [0, 0]);
    assert.deepEqual((await client.dataCommand(OP.MEM_DATA, 0, block)).status, [0, 0]);
  });

  it('writes flash with FLASH_BEGIN (16 or 20 bytes) / FLASH_DATA / FLASH_END, erasing first', async () => {
    session = await openRomLoader();
    const { client, board } = session;
    board.flash.program(0x3000, new Uint8Array(16)); // stale data the erase must clear
    const block = Uint8Array.from({ length: 0x400 }, (_, i) => (i * 13) & 0xff);
    assert.deepEqual((await client.command(OP.FLASH_BEGIN, words(0x800, 2, 0x400, 0x2000))).status, [0, 0]);
    assert.deepEqual((await client.dataCommand(OP.FLASH_DATA, 0, block)).status, [0, 0]);
    assert.deepEqual(
      (
        await client.dataCommand(
          OP.FLASH_DATA,
          1,
          block.map((b) => b ^ 0xff),
        )
      ).status,
      [0, 0],
    );
    assert.deepEqual(board.flash.read(0x2000, 0x400), block);
    assert.deepEqual(
      board.flash.read(0x2400, 0x400),
      block.map((b) => b ^ 0xff),
    );
    assert.ok(board.flash.read(0x3000, 16).every((b) => b === 0xff));
    assert.deepEqual((await client.command(OP.FLASH_BEGIN, words(0, 0, 0x400, 0, 0))).status, [0, 0], 'esptool-js 5-word form');
    assert.equal(board.mode, 'download');
  });

  it('runs user code on FLASH_END 1: it leaves the loader for the flash boot, without a reset or banner', async () => {
    session = await openRomLoader();
    const { client, board } = session;
    client.discard();
    assert.deepEqual((await client.command(OP.FLASH_END, words(1))).status, [0, 0]);
    await waitUntil(() => Buffer.from(client.raw).includes('ets_main.c'), 2000, 'the flash boot log');
    // the load log comes at the rate the loader detected, readable here; a banner would be at 74880
    assert.doesNotMatch(Buffer.from(client.raw).toString('latin1'), /ets Jan/);
    assert.equal(board.mode, 'running');
    assert.equal((await client.sync()).length, 0, 'no loader answers any more');
  });

  it('reboots on FLASH_END 0: a software reset, after which the latched GPIO0 brings back the loader', async () => {
    session = await openRomLoader();
    const { client, board } = session;
    client.discard();
    assert.deepEqual((await client.command(OP.FLASH_END, words(0))).status, [0, 0]);
    await waitUntil(() => client.raw.length > 40, 2000, 'the banner (at 74880 baud, garbled here)');
    assert.equal(board.mode, 'download');
    const replies = await client.sync();
    assert.equal(replies.length, 8);
    assert.equal(replies[0].value, ROM_SYNC_VALUE);
  });

  it('erases as the ROM does: the sectors up to the next 64 KiB boundary count twice', () => {
    // esptool's get_erase_size is the inverse of this: asking for 3 sectors at sector 14 erases 3 + 2.
    assert.equal(romErasedSectors(14 * 4096, 3 * 4096), 5);
    assert.equal(romErasedSectors(0, 32 * 4096), 48);
    assert.equal(romErasedSectors(0, 2 * 4096), 4);
  });

  it('does not know the stub commands (MD5, CHANGE_BAUDRATE, FLASH_DEFL_*)', async () => {
    session = await openRomLoader();
    for (const op of [OP.SPI_FLASH_MD5, OP.CHANGE_BAUDRATE, OP.FLASH_DEFL_BEGIN, OP.ERASE_FLASH]) {
      const reply = await session.client.command(op, words(0, 0, 0, 0));
      assert.deepEqual(reply.status, [1, 0x05], `op 0x${op.toString(16)}`);
    }
  });

  it('starts the flasher stub at the uploaded entry: MEM_END reply first, then OHAI', async () => {
    session = await openRomLoader();
    await startStub(session.client);
    const replies = await session.client.sync();
    assert.equal(replies.length, 8);
    assert.equal(replies[0].value, 0, 'a stub answers SYNC with value 0');
  });

  it('goes silent after jumping to code it does not know', async () => {
    session = await openRomLoader();
    const { client, board } = session;
    const code = new Uint8Array(16);
    await client.command(OP.MEM_BEGIN, words(16, 1, 0x1800, 0x40108000));
    await client.dataCommand(OP.MEM_DATA, 0, code);
    await client.command(OP.MEM_END, words(0, 0x40108004));
    client.discard();
    await client.send(OP.READ_REG, words(0x40001000));
    await waitUntilSteady(() => client.raw.length, 100, 5000, 'the bytes received');
    assert.equal(client.raw.length, 0);
    assert.equal(board.mode, 'running');
  });
});
