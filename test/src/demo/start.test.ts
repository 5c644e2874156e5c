import { strict as assert } from 'assert';
import { ChildProcess, spawn } from 'child_process';
import * as fs from 'fs';
import * as os from 'os';
import * as path from 'path';
import { nodeRedVersion } from '../../../src/demo/embedded-node-red';
import { freePort } from '../../support/free-port';
import { ensureNode } from '../../support/node-binaries';
import { waitUntil } from '../../support/wait';
import { PACKAGE_ROOT } from '../../package/package-layout';

const START = path.resolve(__dirname, '../../../src/demo/start.js');
const LAUNCHER = path.join(PACKAGE_ROOT, 'scripts', 'on-node-red-node.js');
const NODE_RED_VERSION = nodeRedVersion();

describe('npm start demo', function () {
  this.timeout(180_000);
  let child: ChildProcess | undefined;
  let userDir: string;

  beforeEach(() => {
    userDir = fs.mkdtempSync(path.join(os.tmpdir(), 'demo-'));
  });

  afterEach(async () => {
    if (child && child.exitCode === null) {
      const exited = new Promise((resolve) => child!.once('exit', resolve));
      child.kill('SIGKILL');
      await exited;
    }
    fs.rmSync(userDir, { recursive: true, force: true });
  });

  /** Starts `args` on `node` as a user would, and waits until two readings reached the demo broker. */
  async function runDemoUntilReadings(node: string, args: string[]): Promise<() => string> {
    const [editorPort, brokerPort] = [await freePort(), await freePort()];
    const demo = spawn(node, args, {
      env: { ...process.env, DEMO_USER_DIR: userDir, PORT: String(editorPort), DEMO_BROKER_PORT: String(brokerPort) },
      stdio: ['ignore', 'pipe', 'pipe'],
    });
    child = demo;
    let output = '';
    demo.stdout.on('data', (chunk: Buffer) => (output += chunk.toString()));
    demo.stderr.on('data', (chunk: Buffer) => (output += chunk.toString()));
    const readings = () => output.split('\n').filter((line) => line.startsWith('[demo broker] sensors/'));
    await waitUntil(() => readings().length >= 2 || demo.exitCode !== null, 90_000, 'two readings at the demo broker').catch(
      (error: Error) => {
        throw new Error(`${error.message}:\n${output}`);
      },
    );
    if (demo.exitCode !== null) throw new Error(`the demo exited (${demo.exitCode}):\n${output}`);
    const reading = JSON.parse(readings()[0].replace(/^\[demo broker\] \S+ /, ''));
    assert.match(reading.ident, /^28-[0-9a-f]{12}$/);
    assert.equal(typeof reading.temperature, 'number');
    assert.ok(Math.abs(reading.timestamp - Date.now() / 1000) < 60, 'timestamp in seconds, now');
    assert.doesNotMatch(output, /\[error\]/);

    // The editor answers, and the token the demo deployed is not in the saved flow.
    const page = await fetch(`http://127.0.0.1:${editorPort}/`);
    assert.equal(page.status, 200);
    assert.doesNotMatch(fs.readFileSync(path.join(userDir, 'flows.json'), 'utf8'), /demo-token/);
    return () => output;
  }

  async function stopWithCtrlC(): Promise<void> {
    const exited = new Promise<number | null>((resolve) => child!.once('exit', resolve));
    child!.kill('SIGINT');
    assert.equal(await exited, 0);
  }

  it('runs Node-RED with the example flow on the virtual board, and readings reach the local TLS broker', async () => {
    const output = await runDemoUntilReadings(process.execPath, [START]);
    assert.match(
      output(),
      new RegExp(`Node-RED ${NODE_RED_VERSION.replace(/\./g, '\\.')} on Node\\.js ${process.version.replace(/\./g, '\\.')} is running`),
    );
    await stopWithCtrlC();
  });

  it('npm start on Node.js 20 runs the demo on Node.js 24 from the npm registry, and says so', async () => {
    const output = await runDemoUntilReadings(ensureNode(20), [LAUNCHER, START]);
    assert.match(output(), /needs Node\.js >=22\.9; this is v20\.[\d.]+, so this runs on Node\.js 24/);
    assert.match(output(), new RegExp(`Node-RED ${NODE_RED_VERSION.replace(/\./g, '\\.')} on Node\\.js v24\\.`));
    await stopWithCtrlC();
  });
});
