// Runs Node-RED in a child process, the way a user runs it, with a fresh user directory: by default
// the Node-RED of devDependencies with this package loaded from the working tree (settings.nodesDir);
// the install tests pass another Node.js, another Node-RED and a package installed in the user dir.
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

function settingsFile(port: number, nodesDir: string[], paletteManager: boolean, extra: Record<string, unknown>): string {
  const settings = {
    ...extra,
    uiHost: '127.0.0.1',
    uiPort: port,
    flowFile: 'flows.json',
    credentialSecret: CREDENTIAL_SECRET,
    nodesDir,
    logging: { console: { level: 'debug', metrics: false, audit: true } },
    telemetry: { enabled: false, updateNotification: false },
    diagnostics: { enabled: false },
    editorTheme: { tours: false, projects: { enabled: false }, palette: { catalogues: [] } },
    externalModules: { palette: { allowInstall: paletteManager } },
    ...extra,
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
  /**
   * Where this package comes from: the working tree through settings.nodesDir (default), the user
   * directory's node_modules as after a palette install, or nowhere (core nodes only, for comparison).
   */
  packageFrom?: 'working-tree' | 'user-dir' | 'none';
  /** Extra arguments for node before red.js, e.g. `--import` hooks. */
  nodeArgs?: string[];
  /** Let the palette manager install and remove packages (default: off). */
  paletteManager?: boolean;
  /** The Node.js binary (default: the one running the tests). */
  node?: string;
  /** Node-RED's red.js (default: the Node-RED of devDependencies). */
  redJs?: string;
  /** More settings.js entries: the settings this package's nodes declare, `adminAuth` users with their permissions. */
  settings?: Record<string, unknown>;
}

export async function startNodeRed(options: StartOptions = {}): Promise<NodeRedProcess> {
  const userDir = options.userDir ?? createUserDir();
  const port = await freePort();
  const nodesDir = (options.packageFrom ?? 'working-tree') === 'working-tree' ? [PACKAGE_ROOT] : [];
  fs.writeFileSync(
    path.join(userDir, 'settings.js'),
    settingsFile(port, nodesDir, options.paletteManager ?? false, options.settings ?? {}),
  );
  const redJs = options.redJs ?? require.resolve('node-red/red.js', { paths: [PACKAGE_ROOT] });
  const node = options.node ?? process.execPath;
  const child = spawn(node, [...(options.nodeArgs ?? []), redJs, '--userDir', userDir, '--settings', path.join(userDir, 'settings.js')], {
    cwd: userDir,
    // Node.js first on PATH, so anything Node-RED spawns (npm) runs on the same one.
    env: { ...process.env, NODE_RED_HOME: userDir, PATH: `${path.dirname(node)}${path.delimiter}${process.env.PATH ?? ''}` },
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
