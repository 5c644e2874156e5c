// The virtual-esp8266 command behind a socat pseudo-terminal, flashed by esptool-js through
// serialport's native binding on the real tty.
import assert from 'node:assert/strict';
import { spawn, spawnSync, type ChildProcess } from 'node:child_process';
import { readdirSync, readFileSync } from 'node:fs';
import { createHash, randomBytes } from 'node:crypto';
import path from 'node:path';
import { SerialPort } from 'serialport';
import { createEsptoolLoader } from '../../../../src/esp8266/esptool-adapter';
import { flashImage } from '../../../../src/esp8266/flasher';
import { createSerialLink } from '../../../../src/serial/open-port';
import { WebSerialAdapter } from '../../../../src/serial/web-serial-adapter';
import { SOCAT_INSTALL_HINT } from '../../../../src/sim/host/pty';
import { waitUntil } from '../../../support/wait';
import { buildTestImage } from '../../../support/image-builders';

const CLI = path.resolve(__dirname, '../../../../src/sim/host/cli.js');

function startCli(args: string[], env: NodeJS.ProcessEnv = process.env): ChildProcess {
  return spawn(process.execPath, [CLI, ...args], { stdio: ['ignore', 'pipe', 'pipe'], env });
}

/** Runs the command to its exit, with what it printed. */
async function runCliToExit(
  args: string[],
  env: NodeJS.ProcessEnv = process.env,
): Promise<{ code: number | null; stdout: string; stderr: string }> {
  const child = startCli(args, env);
  let stdout = '';
  let stderr = '';
  child.stdout?.on('data', (chunk: Buffer) => (stdout += chunk.toString()));
  child.stderr?.on('data', (chunk: Buffer) => (stderr += chunk.toString()));
  const code = await new Promise<number | null>((resolve) => child.once('exit', resolve));
  return { code, stdout, stderr };
}

function firstLine(child: ChildProcess): Promise<string> {
  return new Promise((resolve, reject) => {
    let out = '';
    let err = '';
    child.stdout?.on('data', (chunk: Buffer) => {
      out += chunk.toString();
      if (out.includes('\n')) resolve(out.split('\n')[0]);
    });
    child.stderr?.on('data', (chunk: Buffer) => (err += chunk.toString()));
    child.once('exit', (code) => reject(new Error(`virtual-esp8266 exited ${code}: ${err}`)));
  });
}

/** The pid of a direct child of `parent` running `name`, found through /proc. */
function childProcessNamed(parent: number, name: string): number | undefined {
  for (const entry of readdirSync('/proc')) {
    if (!/^\d+$/.test(entry)) continue;
    let stat: string;
    try {
      stat = readFileSync(`/proc/${entry}/stat`, 'utf8');
    } catch {
      continue; // the process ended while we looked
    }
    // "pid (comm) state ppid ...": comm may contain spaces, so split after the closing parenthesis.
    const comm = stat.slice(stat.indexOf('(') + 1, stat.lastIndexOf(')'));
    const ppid = Number(stat.slice(stat.lastIndexOf(')') + 2).split(' ')[1]);
    if (comm === name && ppid === parent) return Number(entry);
  }
  return undefined;
}

function stop(child: ChildProcess): Promise<void> {
  if (child.exitCode !== null || child.signalCode !== null) return Promise.resolve();
  return new Promise((resolve) => {
    child.once('exit', () => resolve());
    child.kill('SIGTERM');
  });
}

describe('sim/host/cli (virtual-esp8266 --pty)', () => {
  const children: ChildProcess[] = [];
  let adapter: WebSerialAdapter | undefined;

  before(() => {
    const probe = spawnSync('socat', ['-V']);
    if (probe.error) throw new Error(`socat is needed for this test: apt-get install socat (${probe.error.message})`);
  });

  afterEach(async () => {
    await adapter?.close();
    adapter = undefined;
    for (const child of children.splice(0)) await stop(child);
  });

  it('prints a tty on which esptool-js (no reset lines) flashes, verifies and reads back', async () => {
    const child = startCli(['--pty', '--name', 'cli-test']);
    children.push(child);
    const tty = await firstLine(child);
    assert.match(tty, /^\/dev\/pts\/\d+$/);

    adapter = new WebSerialAdapter((baudRate) => new SerialPort({ path: tty, baudRate, autoOpen: false }));
    const { loader } = await createEsptoolLoader({ adapter, baudRate: 460800, romBaudRate: 115200, log: () => undefined });
    await loader.main('no_reset'); // a pty has no DTR/RTS: the board already waits in the ROM loader
    assert.equal(loader.chip.CHIP_NAME, 'ESP8266');
    const data = randomBytes(24 * 1024);
    await loader.writeFlash({
      fileArray: [{ data, address: 0x10000 }],
      flashMode: 'keep',
      flashFreq: 'keep',
      flashSize: 'keep',
      eraseAll: false,
      compress: true,
    });
    assert.equal(await loader.flashMd5sum(0x10000, data.length), createHash('md5').update(data).digest('hex'));
    assert.deepEqual(Buffer.from(await loader.readFlash(0x10000, data.length)), data);
  });

  it('--boot flash runs the firmware behind the tty: the bundled bridge answers "hello"', async () => {
    const firmware = path.resolve(__dirname, '../../../../../firmware/bridge.bin');
    const child = startCli(['--pty', '--name', 'cli-bridge', '--firmware', firmware, '--boot', 'flash']);
    children.push(child);
    const tty = await firstLine(child);
    const port = new SerialPort({ path: tty, baudRate: 115200 });
    try {
      await new Promise<void>((resolve, reject) => port.once('open', resolve).once('error', reject));
      let received = '';
      port.on('data', (chunk: Buffer) => (received += chunk.toString('latin1')));
      port.write('hello\n');
      // the tty may open while the board is still sending its boot hello: wait for a whole one
      await waitUntil(() => /\{"type":"hello","firmware":"ds18b20-bridge"/.test(received), 5000, 'the bridge to answer hello');
      assert.match(received, /\{"type":"hello","firmware":"ds18b20-bridge"/);
      assert.doesNotMatch(received, /ets Jan/, 'boot output from before the tty was opened is not replayed');
    } finally {
      await new Promise((resolve) => port.close(resolve));
    }
  });

  it('--rom-baud-only 115200: the flasher at 460800 gets no answer at that rate, falls back, and writes', async () => {
    const child = startCli(['--pty', '--name', 'cli-rom-115200', '--rom-baud-only', '115200']);
    children.push(child);
    const tty = await firstLine(child);
    const lines: string[] = [];
    const image = buildTestImage();
    const result = await flashImage({
      path: tty,
      image,
      createLink: createSerialLink,
      reset: 'none',
      flashBaudRate: 460800,
      log: (line) => lines.push(line),
    });
    assert.ok(lines.some((line) => /no answer at 460800 baud; syncing at 115200/.test(line)));
    assert.equal(result.md5, createHash('md5').update(image).digest('hex'));
    assert.equal(result.verified, true);
  });

  it('rejects a --rom-baud-only that is not a rate', async () => {
    const { code, stderr } = await runCliToExit(['--pty', '--rom-baud-only', 'fast']);
    assert.equal(code, 2);
    assert.match(stderr, /--rom-baud-only must be a baud rate/);
  });

  it('exits with a message when its socat ends underneath it', async () => {
    const child = startCli(['--pty', '--name', 'cli-socat-ends']);
    children.push(child);
    let stderr = '';
    child.stderr?.on('data', (chunk: Buffer) => (stderr += chunk.toString()));
    await firstLine(child);
    const socatPid = childProcessNamed(child.pid ?? -1, 'socat');
    assert.ok(socatPid !== undefined, 'the command runs socat');
    const exited = new Promise<number | null>((resolve) => child.once('exit', resolve));
    process.kill(socatPid, 'SIGTERM');
    assert.equal(await exited, 1);
    assert.match(stderr, /socat ended/);
  });

  it('fails with the install command when socat is missing', async () => {
    const { code, stderr } = await runCliToExit(['--pty'], { ...process.env, PATH: '/nonexistent' });
    assert.equal(code, 1);
    assert.ok(stderr.includes(SOCAT_INSTALL_HINT), stderr);
    assert.match(SOCAT_INSTALL_HINT, /apt-get install socat/);
  });

  it('rejects unknown options with the usage text', async () => {
    const { code, stderr } = await runCliToExit(['--serial']);
    assert.equal(code, 2);
    assert.match(stderr, /unknown option --serial[\s\S]*usage: virtual-esp8266 --pty/);
  });

  it('--help prints the usage text and exits 0 without starting a board', async () => {
    const { code, stdout } = await runCliToExit(['--help']);
    assert.equal(code, 0);
    assert.match(stdout, /^usage: virtual-esp8266 --pty/);
  });
});
