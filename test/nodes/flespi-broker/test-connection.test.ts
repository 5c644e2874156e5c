// The editor's Test connection may use the token stored with a deployed broker config only to reach
// that config's own broker: a TLS server of the test stands in for any other host and records
// the username (the token) each CONNECT brings.
import { strict as assert } from 'assert';
import * as net from 'net';
import * as tls from 'tls';
import type { AddressInfo } from 'net';
import * as mqttPacket from 'mqtt-packet';
import helper from 'node-red-node-test-helper';
import { startTlsBroker, TlsBroker } from '../../../src/demo/tls-broker';
import { testPki, TestPki } from '../../support/pki';
import { freePort } from '../../support/free-port';
import { translatingCatalogs } from '../../support/catalogs';
import brokerNode from '../../../nodes/flespi-broker/flespi-broker';
import outNode from '../../../nodes/flespi-mqtts-out/flespi-mqtts-out';

helper.init(require.resolve('node-red'));

const TOKEN = 'S'.repeat(64);

interface RecordingServer {
  port: number;
  usernames: string[];
  close(): Promise<void>;
}

/** Answers nothing: notes the username of each CONNECT and hangs up. */
function recordingServer(pki: TestPki): Promise<RecordingServer> {
  const usernames: string[] = [];
  const server = tls.createServer({ key: pki.server.key, cert: pki.server.cert }, (socket) => {
    const parser = mqttPacket.parser({ protocolVersion: 4 });
    parser.on('packet', (packet: mqttPacket.Packet) => {
      if (packet.cmd === 'connect') usernames.push(packet.username ?? '');
      socket.destroy();
    });
    parser.on('error', () => socket.destroy());
    socket.on('data', (chunk: Buffer) => parser.parse(chunk));
    socket.on('error', () => undefined);
  });
  return new Promise((resolve) => {
    server.listen(0, '127.0.0.1', () =>
      resolve({
        port: (server.address() as AddressInfo).port,
        usernames,
        close: () => new Promise<void>((done) => server.close(() => done())),
      }),
    );
  });
}

describe('flespi-broker Test connection: the stored token stays with its own broker', function () {
  let pki: TestPki;
  let broker: TlsBroker;
  let elsewhere: RecordingServer;

  before(async () => {
    pki = await testPki();
    broker = await startTlsBroker({ server: pki.server, token: TOKEN });
    elsewhere = await recordingServer(pki);
  });

  after(async () => {
    await broker.close();
    await elsewhere.close();
  });

  beforeEach(() => helper.startServer());

  afterEach(async function () {
    await helper.unload();
    await helper.stopServer();
  });

  const deployed = () => ({ host: 'localhost', port: broker.port, protocolVersion: 4, keepalive: 30, pin: '' });
  const flow = () => [
    { id: 'tab', type: 'tab' },
    { id: 'b1', type: 'flespi-broker', ...deployed() },
    {
      id: 'out',
      type: 'flespi-mqtts-out',
      z: 'tab',
      x: 100,
      y: 100,
      broker: 'b1',
      topic: 't',
      qos: 1,
      retain: false,
      outputs: 0,
      wires: [],
    },
  ];
  const test = (body: Record<string, unknown>) => helper.request().post('/flespi-broker/test').send(body).expect(200);
  const leaked = () => elsewhere.usernames.filter((name) => name.includes(TOKEN));

  it('uses the stored token when host, port and TLS settings are the deployed ones', async () => {
    await helper.load([translatingCatalogs, brokerNode, outNode], flow(), { b1: { token: TOKEN, ca: pki.ca.cert } });
    assert.equal((await test({ id: 'b1', ...deployed(), token: '__PWRD__' })).body.ok, true);
  });

  it('never sends the stored token to another host, port, CA, pin or transport, nor for another node id', async () => {
    await helper.load([translatingCatalogs, brokerNode, outNode], flow(), { b1: { token: TOKEN, ca: pki.ca.cert }, out: { token: TOKEN } });
    const otherPort = { id: 'b1', ...deployed(), host: '127.0.0.1', port: elsewhere.port, ca: pki.ca.cert };
    const responses = [
      await test({ ...otherPort, token: '__PWRD__' }),
      await test({ ...otherPort }),
      await test({ ...otherPort, id: 'out' }),
      await test({ id: 'b1', ...deployed(), ca: pki.otherCa.cert }),
      await test({ id: 'b1', ...deployed(), pin: 'ab'.repeat(32) }),
      await test({ id: 'b1', ...deployed(), transport: 'wss', wsPath: '/' }),
    ];
    for (const response of responses)
      assert.deepEqual(response.body, { ok: false, reason: 'no flespi token: enter it in the flespi broker configuration' });
    // The token the editor sends itself goes where the editor says.
    await test({ ...otherPort, token: 'typed-in' });
    assert.deepEqual(leaked(), []);
    assert.ok(
      elsewhere.usernames.some((name) => name.endsWith('typed-in')),
      `usernames seen: ${elsewhere.usernames.join(', ')}`,
    );
  });
});

describe('flespi-broker Test connection: no port scanner', function () {
  let pki: TestPki;
  let refusedPort: number;
  let plain: net.Server;
  let plainPort: number;

  before(async () => {
    pki = await testPki();
    refusedPort = await freePort();
    // Listens, and is not TLS: it answers whatever arrives with a line of text.
    plain = net.createServer((socket) => {
      socket.on('error', () => undefined);
      socket.end('SSH-2.0-OpenSSH_9.6\r\n');
      socket.destroySoon();
    });
    await new Promise<void>((resolve) => plain.listen(0, '127.0.0.1', () => resolve()));
    plainPort = (plain.address() as AddressInfo).port;
  });

  after(
    () =>
      new Promise<void>((resolve) => {
        plain.close(() => resolve());
      }),
  );

  beforeEach(() => helper.startServer());

  afterEach(async function () {
    await helper.unload();
    await helper.stopServer();
  });

  const flow = (port: number) => [
    { id: 'tab', type: 'tab' },
    { id: 'b1', type: 'flespi-broker', host: '127.0.0.1', port, protocolVersion: 4, keepalive: 30, pin: '' },
  ];
  const test = (body: Record<string, unknown>) => helper.request().post('/flespi-broker/test').send(body).expect(200);
  const at = (port: number) => ({
    host: '127.0.0.1',
    port,
    protocolVersion: 4,
    keepalive: 30,
    pin: '',
    token: 'typed-in',
    ca: pki.ca.cert,
  });

  it('gives a refused port and a listening non-TLS port elsewhere the same answer, without an errno', async () => {
    await helper.load([translatingCatalogs, brokerNode], flow(refusedPort + 1), { b1: { token: TOKEN } });
    const refused = (await test({ id: 'b1', ...at(refusedPort) })).body as { ok: boolean; reason: string };
    const notTls = (await test({ id: 'b1', ...at(plainPort) })).body as { ok: boolean; reason: string };
    const unnamed = (await test({ ...at(plainPort) })).body as { ok: boolean; reason: string };
    assert.equal(refused.ok, false);
    assert.equal(refused.reason.replace(String(refusedPort), 'PORT'), notTls.reason.replace(String(plainPort), 'PORT'));
    assert.equal(unnamed.reason, notTls.reason);
    assert.match(refused.reason, /^no MQTT broker answered at 127\.0\.0\.1:\d+ /);
    assert.doesNotMatch(`${refused.reason} ${notTls.reason}`, /E[A-Z]{4,}|refused|reset|closed|TLS|SSL/);
  });

  it('names the cause for the host and port the config was deployed with', async () => {
    await helper.load([translatingCatalogs, brokerNode], flow(refusedPort), { b1: { token: TOKEN } });
    const refused = (await test({ id: 'b1', ...at(refusedPort) })).body as { ok: boolean; reason: string };
    assert.equal(refused.reason, `connection refused by 127.0.0.1:${refusedPort}`);
    await helper.unload();
    await helper.load([translatingCatalogs, brokerNode], flow(plainPort), { b1: { token: TOKEN } });
    const notTls = (await test({ id: 'b1', ...at(plainPort) })).body as { ok: boolean; reason: string };
    assert.equal(notTls.reason, 'the broker does not speak TLS on this port');
  });
});
