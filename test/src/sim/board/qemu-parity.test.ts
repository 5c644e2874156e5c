// The emulated board against an independent reference: firmware/bridge.bin on our CPU, peripherals
// and electrical 1-Wire line, and the firmware's main loop cross-compiled for lx106 under QEMU (with
// the bus of firmware/platform/qemu/bridge_qemu.c in C). Same sensors, same commands: every line
// both send must be identical, except the MAC in the hello line: only the board has eFuses.
import { strict as assert } from 'assert';
import { execFile, spawn } from 'child_process';
import { mkdtempSync, readFileSync, rmSync } from 'fs';
import { tmpdir } from 'os';
import * as path from 'path';
import { promisify } from 'util';

import { UART_REG } from '../../../../src/sim/peripherals/uart';
import { FIRMWARE_DIR, REPO_ROOT, qemuArgs, requireFirmwareToolchain } from '../../../firmware/toolchain';
import { ChipHarness } from './chip-harness';

/** The bus of bridge_qemu.c: a DS18B20 at 21.4375 °C, a parasite DS18S20 at -24.875 °C, and a DS1822 at
 *  -10.125 °C whose first two scratchpad reads arrive with a flipped bit. */
const QEMU_BUS = [
  { ident: '28-0316a27950ff', temperature: 21.4375 },
  { ident: '10-000802b4a1c3', temperature: -24.875, power: 'parasite' as const },
  { ident: '22-060504030201', temperature: -10.125, corruptReads: 2 },
];

const SCRIPT =
  [
    'read',
    'res 10',
    'read',
    'scan',
    'res 13',
    'interval 250',
    'interval 0',
    'reboot',
    'read now',
    'x'.repeat(70),
    '  \t',
    'res 12',
    'read',
    'hello',
  ].join('\n') + '\n';

async function qemuLines(): Promise<string[]> {
  requireFirmwareToolchain();
  const dir = mkdtempSync(path.join(tmpdir(), 'bridge-parity-'));
  try {
    await promisify(execFile)('make', [`BUILD=${dir}`, 'qemu-bridge'], { cwd: FIRMWARE_DIR });
    const child = spawn('qemu-system-xtensa', qemuArgs(path.join(dir, 'lx106', 'bridge-qemu.elf')));
    let out = '';
    child.stdout.setEncoding('latin1');
    child.stdout.on('data', (chunk: string) => {
      out += chunk;
    });
    const timer = setTimeout(() => child.kill('SIGKILL'), 20000);
    const exited = new Promise<void>((resolve) => child.on('exit', () => resolve()));
    child.stdin.end(SCRIPT);
    await exited;
    clearTimeout(timer);
    return out
      .split('\n')
      .map((l) => l.replace(/\r$/, ''))
      .filter((l) => l.length > 0);
  } finally {
    rmSync(dir, { recursive: true, force: true });
  }
}

/**
 * The same script typed into the virtual board's UART once it has booted (its start-up empties the
 * RX FIFO), a few bytes whenever the FIFO has room, until the second hello.
 */
function emulatedLines(): string[] {
  const mac = Uint8Array.of(0x18, 0xfe, 0x34, 0x0a, 0x0b, 0x0c);
  const board = new ChipHarness(
    new Uint8Array(readFileSync(path.join(REPO_ROOT, 'firmware', 'bridge.bin'))),
    { sensors: QEMU_BUS },
    115200,
    mac,
  );
  board.runUntil((lines) => lines.some((l) => l.includes('"type":"sensors"')), 5, 'the boot scan');
  let pending = SCRIPT;
  const uart = board.chip.peripherals.uart;
  board.runUntil(
    (lines) => {
      const waiting = uart.read32(UART_REG.STATUS, board.chip.cpu.cycles) & 0xff;
      if (pending.length > 0 && waiting < 16) {
        board.send(pending.slice(0, 16));
        pending = pending.slice(16);
      }
      return lines.filter((l) => l.includes('"type":"hello"')).length >= 2;
    },
    30,
    'the second hello',
  );
  assert.deepEqual(board.sensors.violations().byKind(), {}, 'no timing violations');
  const hellos = board.lines.filter((l) => l.includes('"type":"hello"'));
  for (const hello of hellos) assert.ok(hello.endsWith(',"mac":"18:fe:34:0a:0b:0c"}'), hello);
  return board.lines.filter((l) => l.length > 0).map((l) => l.replace(',"mac":"18:fe:34:0a:0b:0c"}', '}'));
}

describe('the emulated board against the firmware under QEMU', function () {
  this.timeout(120000);

  it('sends the same lines, one for one, for the same bus and commands', async () => {
    const real = await qemuLines();
    const emulated = emulatedLines();
    assert.ok(real.length > 20, `the firmware answered: ${real.join('\n')}`);
    assert.deepEqual(emulated, real);
  });
});
