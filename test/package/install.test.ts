// The packed package installed the way Node-RED's palette manager installs it, on each Node-RED and
// Node.js of the test matrix: npm on that Node.js, --omit=dev --engine-strict, into a fresh user
// directory, then Node-RED started on it, the main example deployed on a virtual board and a local
// TLS broker, and the package removed again through the admin API.
import { strict as assert } from 'assert';
import { execFile } from 'child_process';
import * as fs from 'fs';
import * as path from 'path';
import { promisify } from 'util';
import { createCertificateAuthority, createServerCertificate } from '../../src/demo/local-pki';
import { demoFlow, DEMO_TOKEN } from '../../src/demo/demo-flow';
import { startTlsBroker, TlsBroker } from '../../src/demo/tls-broker';
import { nodeRedVersion } from '../../src/demo/embedded-node-red';
import { createUserDir, NodeRedProcess, startNodeRed } from '../e2e/support/node-red-process';
import { ensureNode, npmCli } from '../support/node-binaries';
import { eventually, waitUntil } from '../support/wait';
import { MATRIX, MatrixEntry, NEWEST_NODE_RED } from './matrix';
import { PACKAGE_ROOT, exampleFlows, readManifest } from './package-layout';
import { packedTarball } from './packed-tarball';

const run = promisify(execFile);

const MODULE = readManifest().name ?? '';
const TYPES = Object.keys(readManifest()['node-red']?.nodes ?? {});

async function npm(node: string, args: string[], cwd: string): Promise<string> {
  const env = {
    ...process.env,
    PATH: `${path.dirname(node)}${path.delimiter}${process.env.PATH ?? ''}`,
    npm_config_update_notifier: 'false',
  };
  try {
    const { stdout, stderr } = await run(node, [npmCli(), ...args], { cwd, env, maxBuffer: 64 * 1024 * 1024 });
    return stdout + stderr;
  } catch (error) {
    const failed = error as Error & { stdout?: string; stderr?: string };
    throw new Error(`npm ${args.join(' ')} failed on ${node}:\n${failed.stdout ?? ''}${failed.stderr ?? failed.message}`, { cause: error });
  }
}

/** The release number of `entry`'s Node-RED: NEWEST_NODE_RED asks the registry which release is `latest`. */
async function releaseOf(entry: MatrixEntry, node: string, cwd: string): Promise<string> {
  if (entry.nodeRed !== NEWEST_NODE_RED) return entry.nodeRed;
  const answer = await npm(node, ['view', `node-red@${NEWEST_NODE_RED}`, 'version'], cwd);
  const release = answer
    .split('\n')
    .map((line) => line.trim())
    .find((line) => /^\d+\.\d+\.\d+\S*$/.test(line));
  assert.ok(release, `npm view node-red@${NEWEST_NODE_RED} version answered "${answer}"`);
  return release;
}

/** red.js of the Node-RED release asked for: the devDependency, or an install under .cache/node-red. */
async function nodeRedRelease(version: string, node: string): Promise<string> {
  if (nodeRedVersion() === version) return require.resolve('node-red/red.js', { paths: [PACKAGE_ROOT] });
  const prefix = path.join(PACKAGE_ROOT, '.cache', 'node-red', version);
  const redJs = path.join(prefix, 'node_modules', 'node-red', 'red.js');
  if (!fs.existsSync(redJs)) {
    fs.mkdirSync(prefix, { recursive: true });
    fs.writeFileSync(path.join(prefix, 'package.json'), '{"private":true}\n');
    await npm(node, ['install', '--omit=dev', '--no-save', '--no-audit', '--no-fund', `node-red@${version}`], prefix);
  }
  return redJs;
}

async function api(
  nodeRed: NodeRedProcess,
  method: string,
  route: string,
  body?: unknown,
  headers: Record<string, string> = {},
): Promise<{ status: number; text: string }> {
  const response = await fetch(new URL(route, nodeRed.baseUrl), {
    method,
    headers: { accept: 'application/json', ...(body === undefined ? {} : { 'content-type': 'application/json' }), ...headers },
    body: body === undefined ? undefined : JSON.stringify(body),
  });
  return { status: response.status, text: await response.text() };
}

async function deploy(nodeRed: NodeRedProcess, flow: unknown[]): Promise<void> {
  const { status, text } = await api(nodeRed, 'POST', 'flows', flow, { 'Node-RED-Deployment-Type': 'full' });
  assert.ok(status === 200 || status === 204, `deploy answered ${status}: ${text}`);
}

interface NodeSet {
  module: string;
  name: string;
  types: string[];
  enabled: boolean;
  err?: string;
}

function installTests(entry: MatrixEntry): void {
  describe(`Node-RED ${entry.nodeRed} on Node.js ${entry.nodeMajor}`, function () {
    this.timeout(300_000);
    let node: string;
    let nodeRed: NodeRedProcess | undefined;
    let broker: TlsBroker | undefined;
    let userDir: string;
    let caCert: string;

    before(async () => {
      node = ensureNode(entry.nodeMajor);
      const redJs = await nodeRedRelease(await releaseOf(entry, node, PACKAGE_ROOT), node);
      const { file } = await packedTarball();
      userDir = createUserDir();
      // What Node-RED writes into a new user directory before its first palette install.
      fs.writeFileSync(
        path.join(userDir, 'package.json'),
        JSON.stringify({ name: 'node-red-project', description: 'A Node-RED Project', version: '0.0.1', private: true }, null, 2),
      );
      await npm(node, ['install', '--omit=dev', '--engine-strict', '--save', '--save-prefix=~', '--no-audit', '--no-fund', file], userDir);
      const ca = await createCertificateAuthority('install test CA');
      caCert = ca.cert;
      broker = await startTlsBroker({ server: await createServerCertificate(ca), token: DEMO_TOKEN });
      nodeRed = await startNodeRed({ userDir, node, redJs, packageFrom: 'user-dir', paletteManager: true });
    });

    after(async () => {
      await nodeRed?.stop();
      await broker?.close();
      if (userDir) fs.rmSync(userDir, { recursive: true, force: true });
    });

    it('records the package in the user directory as the palette manager does', () => {
      const saved = JSON.parse(fs.readFileSync(path.join(userDir, 'package.json'), 'utf8')) as { dependencies?: Record<string, string> };
      assert.ok(saved.dependencies?.[MODULE], `package.json dependencies: ${JSON.stringify(saved.dependencies)}`);
      assert.ok(!fs.existsSync(path.join(userDir, 'node_modules', 'typescript')), 'a devDependency was installed');
    });

    it('installs the commands it declares, and they run on this Node.js', async () => {
      for (const command of Object.keys(readManifest().bin ?? {})) {
        const { stdout } = await run(node, [path.join(userDir, 'node_modules', '.bin', command), '--help'], { cwd: userDir });
        assert.match(stdout, new RegExp(command), `${command} --help`);
      }
    });

    it('loads all five node types, with no error or warning from the package', async () => {
      const { status, text } = await api(nodeRed!, 'GET', 'nodes');
      assert.equal(status, 200);
      const ours = (JSON.parse(text) as NodeSet[]).filter((set) => set.module === MODULE);
      assert.deepEqual(ours.flatMap((set) => set.types).sort(), [...TYPES].sort());
      for (const set of ours) {
        assert.equal(set.enabled, true, `${set.name} is disabled`);
        assert.equal(set.err, undefined, `${set.name}: ${set.err}`);
      }
      const mentionsUs = (line: string) => line.includes(MODULE) || TYPES.some((type) => line.includes(type));
      const complaints = nodeRed!
        .log()
        .split('\n')
        .filter((line) => /\[(warn|error)\]/.test(line) && mentionsUs(line));
      assert.deepEqual(complaints, []);
    });

    it("lists the three examples in the editor's examples API", async () => {
      const { status, text } = await api(nodeRed!, 'GET', `library/examples/flows/${MODULE}`);
      assert.equal(status, 200, text);
      const listed = (JSON.parse(text) as Array<string | { fn?: string }>).map((item) =>
        typeof item === 'string' ? item : (item.fn ?? ''),
      );
      assert.deepEqual(
        listed.map((name) => name.replace(/\.json$/, '')).sort(),
        exampleFlows()
          .map((example) => example.label)
          .sort(),
      );
    });

    it('deploys the main example on a virtual board: the flash inject writes the bridge and a reading reaches the broker', async () => {
      const main = exampleFlows().find((example) => example.label === 'Flash, read and publish to flespi');
      assert.ok(main);
      const flow = demoFlow(main.nodes, { brokerPort: broker!.port, ca: caCert });
      await deploy(nodeRed!, flow);
      const flashInject = flow.find(
        (n) => n.type === 'inject' && n.wires && JSON.stringify(n.wires).includes(String(flow.find((f) => f.type === 'esp8266-flash')?.id)),
      );
      assert.ok(flashInject, 'the example has an inject wired to the flash node');
      // The inject endpoint answers 404 until the deployed flow has started.
      const injected = await eventually('the deployed inject node', 30_000, async () => {
        const answer = await api(nodeRed!, 'POST', `inject/${String(flashInject.id)}`);
        return answer.status === 404 ? undefined : answer;
      });
      assert.equal(injected.status, 200, injected.text);
      await waitUntil(() => broker!.received.some((m) => m.topic.startsWith('sensors/')), 120_000, 'a reading at the broker');
      const reading = JSON.parse(broker!.received.find((m) => m.topic.startsWith('sensors/'))!.payload.toString()) as {
        temperature?: unknown;
      };
      assert.equal(typeof reading.temperature, 'number');
    });

    it('is removed through the admin API, and Node-RED keeps running', async () => {
      await deploy(nodeRed!, []);
      const removed = await api(nodeRed!, 'DELETE', `nodes/${MODULE}`);
      assert.equal(removed.status, 204, removed.text);
      const { text } = await api(nodeRed!, 'GET', 'nodes');
      assert.deepEqual(
        (JSON.parse(text) as NodeSet[]).filter((set) => set.module === MODULE),
        [],
      );
      assert.equal((await api(nodeRed!, 'GET', 'settings')).status, 200);
      assert.ok(!fs.existsSync(path.join(userDir, 'node_modules', ...MODULE.split('/'))), 'the package is still in node_modules');
    });
  });
}

describe('installing the packed package as the palette manager does', () => {
  for (const entry of MATRIX) installTests(entry);
});
