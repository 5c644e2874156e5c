// Builds ESP8266 images for the virtual board's tests with the firmware's own toolchain: small
// C programs linked like firmware/bridge.bin, and the bridge itself with other Makefile variables
// (a deliberately wrong clock or pin). A missing tool fails with the command that installs it.
import { execFile } from 'child_process';
import { mkdtempSync, readFileSync, rmSync, writeFileSync } from 'fs';
import { tmpdir } from 'os';
import path from 'path';
import { promisify } from 'util';

import { parseElf } from '../../../src/esp8266/elf';
import { elfToImage } from '../../../src/esp8266/elf2image';
import { FIRMWARE_DIR, PICOLIBC_SPECS, requireFirmwareToolchain } from '../../firmware/toolchain';

const run = promisify(execFile);

/** A RAM-only image of one C file whose entry is `call_user_start`, as the bridge is linked. */
export async function buildProgramImage(source: string): Promise<Uint8Array> {
  requireFirmwareToolchain();
  const dir = mkdtempSync(path.join(tmpdir(), 'board-program-'));
  try {
    const c = path.join(dir, 'program.c');
    const elf = path.join(dir, 'program.elf');
    writeFileSync(c, source);
    await run('xtensa-lx106-elf-gcc', [
      `--specs=${PICOLIBC_SPECS}`,
      '-std=c99',
      '-Wall',
      '-Werror',
      '-Os',
      '-mlongcalls',
      '-nostartfiles',
      '-Wl,--gc-sections',
      '-T',
      path.join(FIRMWARE_DIR, 'platform/lx106/esp8266.ld'),
      '-T',
      path.join(FIRMWARE_DIR, 'platform/esp8266/rom.ld'),
      c,
      '-o',
      elf,
    ]);
    return elfToImage(parseElf(readFileSync(elf)), { flashMode: 'dout', flashSize: '512KB', flashFrequency: '40m' }).image;
  } finally {
    rmSync(dir, { recursive: true, force: true });
  }
}

/** firmware/bridge.bin built with Makefile variables, e.g. { CPU_MHZ: '26' } or { OW_GPIO: '5' }. */
export async function buildBridgeImage(variables: Record<string, string>): Promise<Uint8Array> {
  requireFirmwareToolchain();
  const dir = mkdtempSync(path.join(tmpdir(), 'bridge-variant-'));
  try {
    const image = path.join(dir, 'bridge.bin');
    const settings = Object.entries(variables).map(([k, v]) => `${k}=${v}`);
    await run('make', [`BUILD=${path.join(dir, 'build')}`, `IMAGE=${image}`, ...settings, 'image'], { cwd: FIRMWARE_DIR });
    return readFileSync(image);
  } finally {
    rmSync(dir, { recursive: true, force: true });
  }
}

/** UART0 registers and the ROM's divisor call, for the programs below. */
const PROGRAM_PRELUDE = `
#include <stdint.h>
#define UART0_FIFO (*(volatile uint32_t *)0x60000000u)
#define UART0_STATUS (*(volatile uint32_t *)0x6000001Cu)
void uart_div_modify(uint8_t uart, uint32_t divisor);
static void put(char c) { while (((UART0_STATUS >> 16) & 0xFFu) >= 126u) {} UART0_FIFO = (uint8_t)c; }
static void say(const char *s) { while (*s) put(*s++); }
static void at_115200(void) { while ((UART0_STATUS >> 16) & 0xFFu) {} uart_div_modify(0, 52000000u / 115200u); }
void call_user_start(void) __attribute__((section(".entry.text"), noreturn));
`;

/** Greets at 115200 baud, then echoes what it receives, upper-cased. */
export const ECHO_PROGRAM = `${PROGRAM_PRELUDE}
void call_user_start(void) {
  at_115200();
  say("echo ready\\n");
  for (;;) {
    if (UART0_STATUS & 0xFFu) {
      char c = (char)(UART0_FIFO & 0xFFu);
      put(c >= 'a' && c <= 'z' ? (char)(c - 32) : c);
    }
  }
}
`;

/** Writes FRC1's load register (a timer the board does not model), then carries on. */
export const UNMODELLED_PROGRAM = `${PROGRAM_PRELUDE}
void call_user_start(void) {
  at_115200();
  say("before\\n");
  *(volatile uint32_t *)0x60000600u = 1000u;
  say("after\\n");
  for (;;) {}
}
`;

/** Enables the hardware watchdog and never feeds it. */
export const WATCHDOG_PROGRAM = `${PROGRAM_PRELUDE}
void call_user_start(void) {
  at_115200();
  say("starving the watchdog\\n");
  *(volatile uint32_t *)0x60000904u = 1u; /* stage 0: 2^1 ticks of 0.8 ms */
  *(volatile uint32_t *)0x60000908u = 1u;
  *(volatile uint32_t *)0x60000900u = 1u;
  for (;;) {}
}
`;
