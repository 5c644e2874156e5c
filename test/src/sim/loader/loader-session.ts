// Opens a virtual board through the serialport binding with the raw client and brings it into the
// ROM loader (optionally on to a flasher stub), for the protocol tests.
import { getVirtualBoard, type VirtualBoard, type VirtualBoardOptions } from '../../../../src/sim/host/registry';
import { OP, RawLoaderClient, words } from './raw-loader-client';
import { waitUntilSteady } from '../../../support/wait';

export const ESP_FLASHER_STUB_TEXT = 0x4010c500;
export const LEGACY_STUB_TEXT = 0x4010d000;

export interface LoaderSession {
  board: VirtualBoard;
  client: RawLoaderClient;
}

let counter = 0;

export async function openRomLoader(options?: VirtualBoardOptions, baud = 115200): Promise<LoaderSession> {
  const name = `loader-${process.pid}-${++counter}`;
  const board = getVirtualBoard(name, options);
  const client = new RawLoaderClient(`sim:${name}`, baud);
  await client.open();
  await client.resetIntoLoader();
  // The ROM banner at 74880 baud arrives garbled at 115200: sync once it has passed.
  await waitUntilSteady(() => client.raw.length, 15, 5000, 'the ROM banner');
  const replies = await client.sync();
  if (replies.length !== 8) throw new Error(`expected 8 SYNC replies, got ${replies.length}`);
  return { board, client };
}

/** Uploads a stand-in for a stub's text (its bytes do not matter to the model) and jumps to its entry. */
export async function startStub(client: RawLoaderClient, textStart = ESP_FLASHER_STUB_TEXT): Promise<void> {
  const text = new Uint8Array(64).fill(0xaa);
  const begin = await client.command(OP.MEM_BEGIN, words(text.length, 1, 0x1800, textStart));
  if (begin.status[0] !== 0) throw new Error('MEM_BEGIN failed');
  const data = await client.dataCommand(OP.MEM_DATA, 0, text);
  if (data.status[0] !== 0) throw new Error('MEM_DATA failed');
  client.discard();
  await client.send(OP.MEM_END, words(0, textStart + 4));
  const end = await client.response();
  if (end.op !== OP.MEM_END || end.status[0] !== 0) throw new Error('MEM_END failed');
  const greeting = Buffer.from(await client.nextFrame()).toString('latin1');
  if (greeting !== 'OHAI') throw new Error(`expected OHAI, got ${greeting}`);
}
