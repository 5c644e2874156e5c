/**
 * Node-RED (the devDependency) embedded in this process, with this package loaded from the working tree:
 * for the `npm start` demo and the benchmarks, which must share objects (the virtual
 * boards, a broker) with the flows they run.
 */
import * as fs from 'fs';
import * as http from 'http';
import * as path from 'path';
import express from 'express';

const PROJECT_ROOT = path.resolve(__dirname, '..', '..', '..');

/** The version of the Node-RED of devDependencies, which the demo, the benchmarks and the tests run. */
export function nodeRedVersion(): string {
  const manifest = require.resolve('node-red/package.json', { paths: [PROJECT_ROOT] });
  return (JSON.parse(fs.readFileSync(manifest, 'utf8')) as { version: string }).version;
}

export interface EmbeddedNodeRedOptions {
  userDir: string;
  /** 0 picks a free port. */
  port: number;
  logLevel?: 'off' | 'fatal' | 'error' | 'warn' | 'info' | 'debug';
}

export interface EmbeddedNodeRed {
  readonly url: string;
  /** The runtime's node API: `nodes.getNode(id)` reaches a deployed node. */
  readonly nodes: { getNode(id: string): unknown };
  /** Replaces every flow (a full deploy through the admin API; credentials may be inline). */
  deploy(flow: unknown[]): Promise<void>;
  stop(): Promise<void>;
}

/** The parts of the `node-red` module (its embedding API) used here. */
interface NodeRedRuntime {
  init(server: http.Server, settings: Record<string, unknown>): void;
  start(): Promise<void>;
  stop(): Promise<void>;
  events: { once(event: string, listener: () => void): void };
  httpAdmin: express.RequestHandler;
  httpNode: express.RequestHandler;
  nodes: { getNode(id: string): unknown };
}

export async function startEmbeddedNodeRed(options: EmbeddedNodeRedOptions): Promise<EmbeddedNodeRed> {
  const RED = require('node-red') as NodeRedRuntime; // eslint-disable-line @typescript-eslint/no-require-imports -- node-red ships no types; loaded only when a runtime starts
  const app = express();
  const server = http.createServer(app);
  RED.init(server, {
    userDir: options.userDir,
    flowFile: 'flows.json',
    uiHost: '127.0.0.1',
    httpAdminRoot: '/',
    httpNodeRoot: '/api',
    nodesDir: [PROJECT_ROOT],
    logging: { console: { level: options.logLevel ?? 'info', metrics: false, audit: false } },
    telemetry: { enabled: false, updateNotification: false },
    diagnostics: { enabled: false },
    editorTheme: { tours: false, projects: { enabled: false }, palette: { catalogues: [] } },
    externalModules: { palette: { allowInstall: false } },
  });
  // A deploy that arrives before the runtime has started its first flows loses its credentials.
  const flowsStarted = new Promise<void>((resolve) => RED.events.once('flows:started', () => resolve()));
  app.use('/', RED.httpAdmin);
  app.use('/api', RED.httpNode);
  await new Promise<void>((resolve, reject) => {
    server.once('error', reject);
    server.listen(options.port, '127.0.0.1', () => resolve());
  });
  await RED.start();
  await flowsStarted;
  const url = `http://127.0.0.1:${(server.address() as { port: number }).port}/`;

  return {
    url,
    nodes: RED.nodes,
    deploy: async (flow) => {
      const response = await fetch(new URL('flows', url), {
        method: 'POST',
        headers: { 'Content-Type': 'application/json', 'Node-RED-API-Version': 'v2', 'Node-RED-Deployment-Type': 'full' },
        body: JSON.stringify({ flows: flow }),
      });
      if (!response.ok) throw new Error(`deploying a flow failed: HTTP ${response.status} ${await response.text()}`);
    },
    stop: async () => {
      await RED.stop();
      await new Promise<void>((resolve) => server.close(() => resolve()));
    },
  };
}
