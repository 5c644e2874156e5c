/**
 * mosquitto (Debian package) started on 127.0.0.1 with TLS and a plugin that accepts
 * the token as the username, as flespi does. The reference broker for MQTT 5.
 */
import { ChildProcess, execFileSync, spawn } from 'child_process';
import * as fs from 'fs';
import * as net from 'net';
import * as os from 'os';
import * as path from 'path';
import { KeyPair } from '../../src/demo/local-pki';
import { freePort } from './free-port';
import { eventually } from './wait';

const MOSQUITTO = '/usr/sbin/mosquitto';
const PLUGIN_SOURCE = path.resolve(__dirname, '../../../test/support/mosquitto/flespi_token_auth.c');

export interface MosquittoOptions {
  server: KeyPair;
  token: string;
  /** Extra mosquitto.conf lines for the listener, e.g. `max_packet_size 2048`. */
  extraConfig?: string[];
  /** Record every accepted PUBLISH (see `accepted()`). */
  recordMessages?: boolean;
  /**
   * mosquitto `log_type`s (default `all`). A benchmark leaves out `debug` so that the broker
   * does not write a line per message: connections and the listener are still logged.
   */
  logTypes?: string[];
}

export interface Mosquitto {
  readonly port: number;
  /** Kills the broker abruptly (SIGKILL), as a crash would. */
  kill(): Promise<void>;
  /** Starts it again on the same port. */
  start(): Promise<void>;
  stop(): Promise<void>;
  /** The log so far (log_type all). */
  log(): string;
  /** How many CONNECTs the broker refused for bad credentials. */
  refusedConnects(): number;
  /** Every PUBLISH the broker accepted, as "<topic> <payload>", across restarts (needs recordMessages). */
  accepted(): string[];
}

export function requireMosquitto(): void {
  if (!fs.existsSync(MOSQUITTO) || !fs.existsSync('/usr/include/mosquitto_plugin.h')) {
    throw new Error('mosquitto is missing: apt-get install -y mosquitto mosquitto-dev libmosquitto-dev');
  }
}

let pluginPath: string | undefined;

function buildPlugin(directory: string): string {
  if (pluginPath && fs.existsSync(pluginPath)) return pluginPath;
  const output = path.join(directory, 'flespi_token_auth.so');
  execFileSync('gcc', ['-shared', '-fPIC', '-O2', '-Wall', '-Wextra', '-Werror', '-o', output, PLUGIN_SOURCE]);
  pluginPath = output;
  return output;
}

export async function startMosquitto(options: MosquittoOptions): Promise<Mosquitto> {
  requireMosquitto();
  const directory = fs.mkdtempSync(path.join(os.tmpdir(), 'mosquitto-'));
  const plugin = buildPlugin(directory);
  const port = await freePort();
  const logFile = path.join(directory, 'mosquitto.log');
  const messageLog = path.join(directory, 'accepted.log');
  fs.writeFileSync(path.join(directory, 'ca.pem'), options.server.cert);
  fs.writeFileSync(path.join(directory, 'server.pem'), options.server.cert);
  fs.writeFileSync(path.join(directory, 'server.key'), options.server.key);
  const config = [
    'user root',
    'persistence false',
    `log_dest file ${logFile}`,
    ...(options.logTypes ?? ['all']).map((type) => `log_type ${type}`),
    'connection_messages true',
    'per_listener_settings false',
    'allow_anonymous false',
    `plugin ${plugin}`,
    `plugin_opt_token ${options.token}`,
    ...(options.recordMessages ? [`plugin_opt_message_log ${messageLog}`] : []),
    `listener ${port} 127.0.0.1`,
    `certfile ${path.join(directory, 'server.pem')}`,
    `keyfile ${path.join(directory, 'server.key')}`,
    ...(options.extraConfig ?? []),
  ];
  const configFile = path.join(directory, 'mosquitto.conf');
  fs.writeFileSync(configFile, config.join('\n') + '\n');

  let child: ChildProcess | undefined;
  const readLog = () => (fs.existsSync(logFile) ? fs.readFileSync(logFile, 'utf8') : '');

  async function start(): Promise<void> {
    const before = (readLog().match(/Opening ipv4 listen socket/g) ?? []).length;
    child = spawn(MOSQUITTO, ['-c', configFile], { stdio: ['ignore', 'ignore', 'pipe'] });
    let stderr = '';
    child.stderr?.on('data', (chunk: Buffer) => (stderr += chunk.toString()));
    const started = child;
    await eventually(`mosquitto to start (${stderr})`, 10_000, async () => {
      if (started.exitCode !== null) throw new Error(`mosquitto exited: ${stderr}${readLog().slice(-2000)}`);
      const listening = (readLog().match(/Opening ipv4 listen socket/g) ?? []).length > before;
      return listening && (await accepts(port)) ? true : undefined;
    });
    if (started.exitCode !== null) throw new Error(`mosquitto exited: ${stderr}${readLog().slice(-2000)}`);
  }

  async function halt(signal: NodeJS.Signals): Promise<void> {
    const running = child;
    child = undefined;
    if (!running || running.exitCode !== null) return;
    await new Promise<void>((resolve) => {
      running.once('exit', () => resolve());
      running.kill(signal);
    });
  }

  await start();
  return {
    port,
    start,
    kill: () => halt('SIGKILL'),
    stop: async () => {
      await halt('SIGTERM');
      fs.rmSync(directory, { recursive: true, force: true });
    },
    log: readLog,
    refusedConnects: () => (readLog().match(/Sending CONNACK to .* \((0|1), (5|134|135)\)/g) ?? []).length,
    accepted: () => (fs.existsSync(messageLog) ? fs.readFileSync(messageLog, 'utf8').split('\n').filter(Boolean) : []),
  };
}

function accepts(port: number): Promise<boolean> {
  return new Promise((resolve) => {
    const socket = net.connect(port, '127.0.0.1');
    socket.once('connect', () => {
      socket.destroy();
      resolve(true);
    });
    socket.once('error', () => resolve(false));
  });
}
