// Runs the Node-RED 4.1 of devDependencies in a child process, the way a user runs it, with this
// package loaded from the working tree (settings.nodesDir) and a fresh user directory.
import { ChildProcess, spawn } from 'child_process';
import * as fs from 'fs';
import * as path from 'path';
import { PACKAGE_ROOT } from '../../package/package-layout';
import { freePort } from '../../support/free-port';
import { waitUntil } from '../../support/wait';

export const CREDENTIAL_SECRET = 'e2e-credential-secret';

export interface NodeRedProcess {
  readonly baseUrl: string;
  readonly userDir: string;
  readonly pid: number;
  /** Everything Node-RED printed so far, stdout and stderr. */
  log(): string;
  /** Stops Node-RED; a user directory the harness made is removed with it. */
  stop(): Promise<void>;
}

function settingsFile(port: number, loadPackage: boolean): string {
  const settings = {
    uiHost: '127.0.0.1',
    uiPort: port,
    flowFile: 'flows.json',
    credentialSecret: CREDENTIAL_SECRET,
    nodesDir: loadPackage ? [PACKAGE_ROOT] : [],
    logging: { console: { level: 'debug', metrics: false, audit: true } },
    telemetry: { enabled: false, updateNotification: false },
    diagnostics: { enabled: false },
    editorTheme: { tours: false, projects: { enabled: false }, palette: { catalogues: [] } },
    externalModules: { palette: { allowInstall: false } },
  };
  return `module.exports = ${JSON.stringify(settings, null, 2)};\n`;
}

/** A fresh user directory inside the project (ignored by git), so nothing leaks into ~/.node-red. */
export function createUserDir(): string {
  const parent = path.join(PACKAGE_ROOT, '.node-red');
  fs.mkdirSync(parent, { recursive: true });
  return fs.mkdtempSync(path.join(parent, 'e2e-'));
}

export interface StartOptions {
  userDir?: string;
  readyTimeoutMs?: number;
  /** Load this package (default); false runs Node-RED with its core nodes only, for comparison. */
  loadPackage?: boolean;
  /** Extra arguments for node before red.js, e.g. `--import` hooks. */
  nodeArgs?: string[];
}

export async function startNodeRed(options: StartOptions = {}): Promise<NodeRedProcess> {
  const userDir = options.userDir ?? createUserDir();
  const port = await freePort();
  fs.writeFileSync(path.join(userDir, 'settings.js'), settingsFile(port, options.loadPackage ?? true));
  const redJs = require.resolve('node-red/red.js', { paths: [PACKAGE_ROOT] });
  const child = spawn(process.execPath, [...(options.nodeArgs ?? []), redJs, '--userDir', userDir, '--settings', path.join(userDir, 'settings.js')], {
    cwd: userDir,
    env: { ...process.env, NODE_RED_HOME: userDir },
    stdio: ['ignore', 'pipe', 'pipe'],
  });
  let output = '';
  child.stdout?.on('data', (chunk: Buffer) => (output += chunk.toString()));
  child.stderr?.on('data', (chunk: Buffer) => (output += chunk.toString()));

  const baseUrl = `http://127.0.0.1:${port}/`;
  try {
    await waitFor(() => output.includes('Started flows') || output.includes('Server now running'), child, options.readyTimeoutMs ?? 20000);
    await waitFor(() => output.includes('Started flows'), child, 10000);
  } catch (error) {
    await stopChild(child);
    throw new Error(`${(error as Error).message}\nNode-RED output:\n${output}`, { cause: error });
  }
  const stop = async () => {
    await stopChild(child);
    if (!options.userDir) fs.rmSync(userDir, { recursive: true, force: true });
  };
  return { baseUrl, userDir, pid: child.pid ?? 0, log: () => output, stop };
}

async function waitFor(condition: () => boolean, child: ChildProcess, timeoutMs: number): Promise<void> {
  await waitUntil(() => condition() || child.exitCode !== null, timeoutMs, 'Node-RED to start');
  if (child.exitCode !== null) throw new Error(`Node-RED exited with code ${child.exitCode}`);
}

async function stopChild(child: ChildProcess): Promise<void> {
  if (child.exitCode !== null || child.signalCode !== null) return;
  const exited = new Promise<void>((resolve) => child.once('exit', () => resolve()));
  child.kill('SIGINT');
  const forced = setTimeout(() => child.kill('SIGKILL'), 5000);
  await exited;
  clearTimeout(forced);
}
