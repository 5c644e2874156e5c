// The esp8266-bridge-check command as a user runs it: a child process against a virtual board behind a
// socat pseudo-terminal, so the board is reached through a real tty and the bridge's serial protocol only.
import { strict as assert } from 'node:assert';
import { spawn, spawnSync, type ChildProcess, type SpawnOptions } from 'node:child_process';
import { chmodSync, mkdtempSync, readFileSync, rmSync, statSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { SerialPort } from 'serialport';
import { attachBoardToPty, type PtyAttachment } from '../../../src/sim/host/pty';
import { getVirtualBoard } from '../../../src/sim/host/registry';
import { waitUntil } from '../../support/wait';
import { withFileModesEnforced } from '../../support/file-modes';

const CHECK = path.resolve(__dirname, '../../../src/bridge-check/cli.js');
const VIRTUAL_ESP8266 = path.resolve(__dirname, '../../../src/sim/host/cli.js');
const BRIDGE_IMAGE = path.resolve(__dirname, '../../../../firmware/bridge.bin');
const IDENT = /[0-9a-f]{2}-[0-9a-f]{12}/;

interface Finished {
  code: number | null;
  stdout: string;
  stderr: string;
}

class CheckRun {
  stdout = '';
  stderr = '';
  readonly finished: Promise<Finished>;
  private readonly child: ChildProcess;

  constructor(args: string[], options: SpawnOptions = {}, fileModesEnforced = false) {
    const [command, argv] = fileModesEnforced
      ? withFileModesEnforced(process.execPath, [CHECK, ...args])
      : [process.execPath, [CHECK, ...args]];
    this.child = spawn(command, argv, { stdio: ['ignore', 'pipe', 'pipe'], ...options });
    this.child.stdout?.on('data', (chunk: Buffer) => (this.stdout += chunk.toString()));
    this.child.stderr?.on('data', (chunk: Buffer) => (this.stderr += chunk.toString()));
    this.finished = new Promise((resolve) => {
      this.child.once('close', (code) => resolve({ code, stdout: this.stdout, stderr: this.stderr }));
    });
  }

  stop(): void {
    if (this.child.exitCode === null && this.child.signalCode === null) this.child.kill('SIGTERM');
  }
}

/** The value printed after a report label. */
function valueOf(report: string, label: string): string {
  const line = report.split('\n').find((l) => l.startsWith(`${label} `));
  assert.ok(line, `the report has a "${label}" line:\n${report}`);
  return line.slice(label.length).trim();
}

/** The per-sensor rows: ident, clean/asked, CRC errors, power-on values, other failures. */
function perSensorRows(report: string): string[][] {
  return report
    .split('\n')
    .filter((l) => /^ {13}[0-9a-f]{2}-[0-9a-f]{12} {2}\d+\/\d+ /.test(l))
    .map((l) => l.trim().split(/\s+/).slice(0, 5));
}

function assertCleanReport(report: string, port: string, cycles: number): void {
  assert.equal(valueOf(report, 'port'), port);
  assert.match(valueOf(report, 'package'), /^@ds18b20-flespi\/node-red-esp8266-flespi \d+\.\d+\.\d+/);
  assert.equal(valueOf(report, 'node'), `${process.version} (${process.platform} ${process.arch})`);
  assert.match(valueOf(report, 'firmware'), /^ds18b20-bridge \d+\.\d+\.\d+ \(protocol 1, 1-Wire on GPIO4\)$/);
  const found = Number(/^(\d+) found$/.exec(valueOf(report, 'sensors'))?.[1]);
  assert.ok(found >= 1, 'the virtual bus has sensors');
  assert.equal(
    report
      .split('\n')
      .filter((l) => new RegExp(`^ {13}${IDENT.source}  DS18B20 \\(family 0x28\\), (external|parasite) power, \\d+ bit$`).test(l)).length,
    found,
  );
  assert.equal(valueOf(report, 'cycles'), `${cycles} of ${cycles} run`);
  assert.match(valueOf(report, 'cycle time'), /^min \d+ ms, median \d+ ms, max \d+ ms$/);
  const rows = perSensorRows(report);
  assert.equal(rows.length, found);
  for (const row of rows) assert.deepEqual(row.slice(1), [`${cycles}/${cycles}`, '0', '0', '0']);
  assert.match(valueOf(report, 'serial noise'), /^\d+ lines? of non-JSON text skipped/);
  assert.equal(valueOf(report, 'errors seen'), 'none');
  assert.equal(valueOf(report, 'result'), 'PASS: the board answered and every sensor read cleanly at least once');
}

describe('bridge-check command (esp8266-bridge-check)', () => {
  const cleanups: Array<() => Promise<void> | void> = [];

  before(() => {
    const probe = spawnSync('socat', ['-V']);
    if (probe.error) throw new Error(`socat is needed for this test: apt-get install socat (${probe.error.message})`);
  });

  afterEach(async () => {
    for (const cleanup of cleanups.splice(0).reverse()) await cleanup();
  });

  /** Starts `virtual-esp8266 --pty` with `args` and resolves with the tty it prints. */
  function virtualBoardOnPty(args: string[]): Promise<string> {
    const child = spawn(process.execPath, [VIRTUAL_ESP8266, '--pty', ...args], { stdio: ['ignore', 'pipe', 'pipe'] });
    cleanups.push(
      () =>
        new Promise<void>((resolve) => {
          if (child.exitCode !== null || child.signalCode !== null) return resolve();
          child.once('exit', () => resolve());
          child.kill('SIGTERM');
        }),
    );
    return new Promise((resolve, reject) => {
      let out = '';
      child.stdout?.on('data', (chunk: Buffer) => {
        out += chunk.toString();
        if (out.includes('\n')) resolve(out.split('\n')[0]);
      });
      child.once('exit', (code) => reject(new Error(`virtual-esp8266 exited ${code}`)));
    });
  }

  function check(args: string[], options?: SpawnOptions, fileModesEnforced = false): CheckRun {
    const run = new CheckRun(args, options, fileModesEnforced);
    cleanups.push(() => run.stop());
    return run;
  }

  it('--help prints the usage and exits 0', async () => {
    const { code, stdout } = await check(['--help']).finished;
    assert.equal(code, 0);
    assert.match(stdout, /^usage: esp8266-bridge-check <port> \[--cycles N\] \[--flash/);
    assert.match(stdout, /\/dev\/cu\.usbserial-\* \(macOS\), COM3 \(Windows\)/);
  });

  it('refuses bad arguments with a one-line reason and exit code 2', async () => {
    const { code, stdout, stderr } = await check(['/dev/ttyUSB0', '--cycles', 'lots']).finished;
    assert.equal(code, 2);
    assert.equal(stdout, '');
    assert.equal(
      stderr,
      'esp8266-bridge-check: --cycles must be a whole number from 1 to 1000\nrun "esp8266-bridge-check --help" for the usage\n',
    );
  });

  it('checks a board running the bridge behind a tty and prints a clean report', async () => {
    const tty = await virtualBoardOnPty(['--name', 'check-bridge', '--firmware', BRIDGE_IMAGE, '--boot', 'flash']);
    const { code, stdout, stderr } = await check([tty, '--cycles', '2']).finished;
    assert.equal(code, 0, stderr);
    assertCleanReport(stdout, tty, 2);
    assert.match(valueOf(stdout, 'flashed'), /^not flashed/);
    assert.match(stderr, /read cycle 2 of 2/, 'progress goes to stderr, the report alone to stdout');
    assert.doesNotMatch(stdout, /read cycle/);
  });

  it('fails on a board with erased flash, saying nothing answered and how to write the bridge', async () => {
    const tty = await virtualBoardOnPty(['--name', 'check-erased', '--boot', 'flash']);
    const { code, stdout, stderr } = await check([tty]).finished;
    assert.equal(code, 1);
    const reason = `no answer from the board at 115200 baud on ${tty}: check that it is the right port and that the board is powered, or write the bridge with --flash`;
    assert.equal(valueOf(stdout, 'result'), `FAIL: ${reason}`);
    assert.equal(valueOf(stdout, 'firmware'), 'no bridge answered');
    assert.ok(stderr.endsWith(`esp8266-bridge-check: ${reason}\n`), stderr);
  });

  it('--flash --reset none writes the bridge through a tty without DTR/RTS, waits for RESET, then checks it', async () => {
    // A pty has no reset lines: the board waits in its ROM loader (FLASH held), and is reset by "hand".
    const board = getVirtualBoard('check-flash-pty');
    const attachment: PtyAttachment = await attachBoardToPty(board, { boot: 'download' });
    cleanups.push(() => attachment.close());
    const run = check([attachment.hostPath, '--flash', '--reset', 'none', '--cycles', '2']);
    await waitUntil(
      () => run.stderr.includes('press RESET on the board now') || run.stderr.includes('esp8266-bridge-check:'),
      20000,
      'the request to press RESET',
    );
    board.pressReset();
    const { code, stdout, stderr } = await run.finished;
    assert.equal(code, 0, stderr);
    assertCleanReport(stdout, attachment.hostPath, 2);
    assert.equal(valueOf(stdout, 'chip'), 'ESP8266EX');
    assert.match(valueOf(stdout, 'mac'), /^([0-9a-f]{2}:){5}[0-9a-f]{2}$/);
    assert.match(valueOf(stdout, 'flash id'), /^0x[0-9a-f]{6} \(\d+ MB\)$/);
    assert.match(valueOf(stdout, 'flashed'), /^wrote \d+ bytes in \d+\.\d s at \d+ baud, restarted by hand$/);
    assert.match(stderr, /flashing the bridge firmware: writing/);
  });

  it('--flash on a tty without DTR/RTS says to use --reset none', async () => {
    const tty = await virtualBoardOnPty(['--name', 'check-no-lines']);
    const { code, stdout } = await check([tty, '--flash']).finished;
    assert.equal(code, 1);
    assert.equal(
      valueOf(stdout, 'result'),
      `FAIL: ${tty} has no DTR/RTS control lines: hold FLASH/BOOT while pressing RESET on the board, then run again with --flash --reset none`,
    );
  });

  it('--flash on a virtual board resets it through DTR/RTS as on a NodeMCU, and reports chip, MAC and flash id', async () => {
    const { code, stdout, stderr } = await check(['sim:check', '--flash', '--cycles', '1']).finished;
    assert.equal(code, 0, stderr);
    assertCleanReport(stdout, 'sim:check', 1);
    assert.equal(valueOf(stdout, 'chip'), 'ESP8266EX');
    assert.match(valueOf(stdout, 'flashed'), /baud, restarted by DTR\/RTS$/);
  });

  it('--flash --backup FILE saves what the write replaces before writing, owner-readable only', async () => {
    const dir = mkdtempSync(path.join(os.tmpdir(), 'bridge-backup-'));
    cleanups.push(() => rmSync(dir, { recursive: true, force: true }));
    const file = path.join(dir, 'before.bin');
    const { code, stdout, stderr } = await check(['sim:check-backup', '--flash', '--backup', file, '--cycles', '1']).finished;
    assert.equal(code, 0, stderr);
    assert.equal(valueOf(stdout, 'backup'), file);
    // A new virtual board's flash is erased: the backup holds the whole sectors the bridge now fills, all 0xFF.
    const saved = readFileSync(file);
    assert.equal(saved.length, Math.ceil(readFileSync(BRIDGE_IMAGE).length / 4096) * 4096);
    assert.ok(saved.every((byte) => byte === 0xff));
    assert.equal(statSync(file).mode & 0o777, 0o600);
  });

  it('fails with the reason when another program holds the port', async () => {
    const tty = await virtualBoardOnPty(['--name', 'check-busy', '--firmware', BRIDGE_IMAGE, '--boot', 'flash']);
    const holder = new SerialPort({ path: tty, baudRate: 115200, autoOpen: false });
    await new Promise<void>((resolve, reject) => holder.open((error) => (error ? reject(error) : resolve())));
    cleanups.push(() => new Promise<void>((resolve) => holder.close(() => resolve())));
    const { code, stdout } = await check([tty]).finished;
    assert.equal(code, 1);
    assert.match(valueOf(stdout, 'result'), new RegExp(`^FAIL: another program holds ${tty}`));
  });

  it('fails with the dialout advice when the user may not open the port', async () => {
    const tty = await virtualBoardOnPty(['--name', 'check-denied', '--firmware', BRIDGE_IMAGE, '--boot', 'flash']);
    // Nobody may open the tty, and the check runs with file modes enforced (root ignores them otherwise).
    chmodSync(tty, 0o000);
    const { code, stdout } = await check([tty], {}, true).finished;
    assert.equal(code, 1, stdout);
    assert.match(valueOf(stdout, 'result'), new RegExp(`^FAIL: no permission to open ${tty}: add .*"dialout" group`));
  });
});
