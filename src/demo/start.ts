/**
 * `npm start`: Node-RED on http://127.0.0.1:1880 with this package, the main example
 * flow running on the built-in virtual ESP8266 (`sim:demo`, bridge firmware in flash,
 * simulated DS18B20 sensors), and a local MQTT broker with TLS standing in for flespi.
 *
 * Environment: PORT (editor, default 1880), DEMO_BROKER_PORT (default 8883),
 * DEMO_USER_DIR (default <project>/.node-red/demo). Delete the user directory to start over.
 */
import * as fs from 'fs';
import * as path from 'path';
import { getVirtualBoard } from '../sim/host/registry';
import { createCertificateAuthority, createServerCertificate, KeyPair } from './local-pki';
import { startTlsBroker } from './tls-broker';
import { demoFlow, DEMO_BOARD, DEMO_TOKEN } from './demo-flow';
import { nodeRedVersion, startEmbeddedNodeRed } from './embedded-node-red';

const PROJECT_ROOT = path.resolve(__dirname, '..', '..', '..');
const MAIN_EXAMPLE = path.join(PROJECT_ROOT, 'examples', 'Flash, read and publish to flespi.json');
const BRIDGE_FIRMWARE = path.join(PROJECT_ROOT, 'firmware', 'bridge.bin');

async function localCertificates(directory: string): Promise<{ ca: KeyPair; server: KeyPair }> {
  const files = { caCert: 'ca.pem', caKey: 'ca.key', cert: 'server.pem', key: 'server.key' };
  const read = (name: string) => fs.readFileSync(path.join(directory, name), 'utf8');
  if (Object.values(files).every((name) => fs.existsSync(path.join(directory, name)))) {
    return { ca: { cert: read(files.caCert), key: read(files.caKey) }, server: { cert: read(files.cert), key: read(files.key) } };
  }
  fs.mkdirSync(directory, { recursive: true, mode: 0o700 });
  const ca = await createCertificateAuthority('node-red-esp8266-flespi demo CA');
  const server = await createServerCertificate(ca);
  fs.writeFileSync(path.join(directory, files.caCert), ca.cert);
  fs.writeFileSync(path.join(directory, files.caKey), ca.key, { mode: 0o600 });
  fs.writeFileSync(path.join(directory, files.cert), server.cert);
  fs.writeFileSync(path.join(directory, files.key), server.key, { mode: 0o600 });
  return { ca, server };
}

async function main(): Promise<void> {
  const userDir = process.env.DEMO_USER_DIR ?? path.join(PROJECT_ROOT, '.node-red', 'demo');
  const editorPort = Number(process.env.PORT ?? 1880);
  const brokerPort = Number(process.env.DEMO_BROKER_PORT ?? 8883);
  fs.mkdirSync(userDir, { recursive: true });

  const pki = await localCertificates(path.join(userDir, 'demo-pki'));
  const broker = await startTlsBroker({ server: pki.server, token: DEMO_TOKEN, port: brokerPort });
  broker.on('message', (message) => {
    console.log(`[demo broker] ${message.topic} ${message.payload.toString().slice(0, 200)}`);
  });

  // The board exists before Node-RED opens it, with the bridge firmware already in flash.
  const firmware = fs.existsSync(BRIDGE_FIRMWARE) ? new Uint8Array(fs.readFileSync(BRIDGE_FIRMWARE)) : undefined;
  getVirtualBoard(DEMO_BOARD, { firmware });

  // Node-RED is embedded, so its nodes and this script share one set of virtual boards.
  const firstStart = !fs.existsSync(path.join(userDir, 'flows.json'));
  const nodeRed = await startEmbeddedNodeRed({ userDir, port: editorPort });
  const editorUrl = nodeRed.url;
  if (firstStart) {
    const example = JSON.parse(fs.readFileSync(MAIN_EXAMPLE, 'utf8')) as Array<Record<string, unknown>>;
    await nodeRed.deploy(demoFlow(example, { brokerPort: broker.port, ca: pki.ca.cert }));
  }

  console.log('');
  console.log(`Node-RED ${nodeRedVersion()} on Node.js ${process.version} is running: ${editorUrl}`);
  console.log(`The flow reads simulated DS18B20 sensors on the virtual board "sim:${DEMO_BOARD}" and publishes them to`);
  console.log(`a local TLS broker standing in for flespi (mqtts://localhost:${broker.port}, token "${DEMO_TOKEN}").`);
  console.log('To use a real board and flespi, see "Switching to a real board and flespi" in README.md. Ctrl+C stops.');
  console.log('');

  const stop = async () => {
    await nodeRed.stop();
    await broker.close();
    process.exit(0);
  };
  process.once('SIGINT', () => void stop());
  process.once('SIGTERM', () => void stop());
}

main().catch((error: Error) => {
  console.error(error.message);
  if ((error as NodeJS.ErrnoException).code === 'EADDRINUSE') {
    console.error('A port is in use: set PORT (editor) or DEMO_BROKER_PORT (broker) to free ones.');
  }
  process.exit(1);
});
