// The simulated bridge must say what the real firmware says. Both get the same sensors (those of
// firmware/platform/qemu/bridge_qemu.c) and the same commands; the real firmware runs cross-compiled
// for the lx106 under QEMU, and every line both send must be identical.
import { strict as assert } from 'assert';
import { execFile, spawn } from 'child_process';
import { mkdtempSync, rmSync } from 'fs';
import { tmpdir } from 'os';
import * as path from 'path';
import { promisify } from 'util';
import type { ApplicationHost } from '../../../../src/sim/application';
import { bridgeApplicationKind, setSimulatedBus } from '../../../../src/sim/bridge/bridge-kind';
import { FIRMWARE_DIR, qemuArgs, requireFirmwareToolchain } from '../../../firmware/toolchain';
import { waitUntil } from '../../../support/wait';

/** The bus of bridge_qemu.c: a DS18B20 at 21.4375 °C, a parasite DS18S20 at -24.875 °C, and a DS1822 at
 *  -10.125 °C whose first two scratchpad reads arrive with a flipped bit. */
const QEMU_BUS = [
  { ident: '28-0316a27950ff', temperature: 21.4375 },
  { ident: '10-000802b4a1c3', temperature: -24.875, power: 'parasite' as const },
  { ident: '22-060504030201', temperature: -10.125, corruptReads: 2 },
];

const SCRIPT = [
  'read', 'res 10', 'read', 'scan', 'res 13', 'interval 250', 'interval 0', 'reboot', 'read now',
  'x'.repeat(70), '  \t', 'res 12', 'read', 'hello',
].join('\n') + '\n';

async function realFirmwareLines(): Promise<string[]> {
  requireFirmwareToolchain();
  const dir = mkdtempSync(path.join(tmpdir(), 'bridge-parity-'));
  try {
    await promisify(execFile)('make', [`BUILD=${dir}`, 'qemu-bridge'], { cwd: FIRMWARE_DIR });
    const child = spawn('qemu-system-xtensa', qemuArgs(path.join(dir, 'lx106', 'bridge-qemu.elf')));
    let out = '';
    child.stdout.setEncoding('latin1');
    child.stdout.on('data', (chunk: string) => { out += chunk; });
    const timer = setTimeout(() => child.kill('SIGKILL'), 20000);
    const exited = new Promise<void>((resolve) => child.on('exit', () => resolve()));
    child.stdin.end(SCRIPT);
    await exited;
    clearTimeout(timer);
    return out.split('\n').filter((l) => l.length > 0);
  } finally {
    rmSync(dir, { recursive: true, force: true });
  }
}

async function simulatedLines(): Promise<string[]> {
  const flash = { size: 4096, read: (_a: number, n: number) => new Uint8Array(n) };
  setSimulatedBus(flash, { sensors: QEMU_BUS, conversionTimeScale: 0.01 });
  let out = '';
  const host: ApplicationHost = { transmit: (bytes) => { out += Buffer.from(bytes).toString('latin1'); }, flash, now: () => performance.now() };
  const app = bridgeApplicationKind.start(host);
  try {
    await waitUntil(() => out.includes('"type":"hello"'), 10_000, 'the boot hello');
    app.receive(Buffer.from(SCRIPT, 'latin1'));
    await waitUntil(() => (out.match(/"type":"hello"/g) ?? []).length >= 2, 10_000, 'the second hello');
    return out.split('\n').filter((l) => l.length > 0);
  } finally {
    app.stop();
  }
}

describe('simulated bridge against the real firmware under QEMU', function () {
  this.timeout(60000);

  it('sends the same lines for the same bus and commands', async () => {
    const [real, simulated] = await Promise.all([realFirmwareLines(), simulatedLines()]);
    assert.ok(real.length > 20, `the firmware answered: ${real.join('\n')}`);
    assert.deepEqual(simulated, real);
  });
});
