import { strict as assert } from 'assert';
import { BridgeClient, MAX_QUEUED_COMMANDS } from '../../../src/onewire/bridge-client';
import { MAX_BRIDGE_SENSORS } from '../../../src/onewire/bridge-protocol';

const HELLO =
  '{"type":"hello","firmware":"ds18b20-bridge","version":"1.0.0","protocol":1,"pin":4,"interval":0,"resolution":0,"max_sensors":16}';
const A = '28-0316a27950ff';
const S = '10-000802b4a1c3';

/** A scripted board: answers each command with the lines the test gives for it. */
function scripted(answers: Record<string, string[]>, options: { readTimeoutMs?: number; commandTimeoutMs?: number } = {}) {
  const sent: string[] = [];
  const client: BridgeClient = new BridgeClient({
    write: (line) => {
      sent.push(line);
      const lines = answers[line.trim()];
      if (lines) setImmediate(() => client.receive(Buffer.from(lines.map((l) => l + '\n').join(''), 'latin1')));
    },
    now: () => 1764000000500,
    readTimeoutMs: options.readTimeoutMs ?? 500,
    commandTimeoutMs: options.commandTimeoutMs ?? 200,
  });
  return { client, sent };
}

describe('onewire bridge client', () => {
  it('recognises the bridge hello behind boot-ROM garbage', async () => {
    const { client, sent } = scripted({ hello: ['\u00f0\u0011~\u0000garbage', '', HELLO] });
    const hello = await client.hello();
    assert.equal(hello.firmware, 'ds18b20-bridge');
    assert.deepEqual(sent, ['hello\n']);
  });

  it('says to flash the bridge when the board runs other firmware', async () => {
    const { client } = scripted({ hello: ['{"type":"hello","firmware":"blinky","version":"0.1","protocol":1}'] });
    await assert.rejects(client.hello(), /runs "blinky".*flash the bridge firmware with the ESP8266 flash node/);
  });

  it('says to flash the bridge when nothing sensible answers', async () => {
    const { client } = scripted({ hello: ['Hello from my sketch!'] });
    await assert.rejects(client.hello(), /no answer from the ds18b20-bridge firmware: flash the bridge firmware/);
  });

  it('collects the sensors of a scan', async () => {
    const { client } = scripted({
      scan: [
        `{"type":"sensor","ident":"${A}","model":"DS18B20","power":"external","resolution":12}`,
        `{"type":"sensor","ident":"${S}","model":"DS18S20","power":"parasite","resolution":9}`,
        '{"type":"sensors","count":2}',
      ],
    });
    const sensors = await client.scan();
    assert.deepEqual(
      sensors.map((s) => [s.ident, s.model, s.power]),
      [
        [A, 'DS18B20', 'external'],
        [S, 'DS18S20', 'parasite'],
      ],
    );
  });

  it('turns a read cycle into readings and per-sensor errors', async () => {
    const { client } = scripted({
      read: [
        `{"type":"temp","ident":"${A}","millicelsius":21437,"resolution":12,"power":"external"}`,
        '{"type":"temp","ident":"broken"}',
        `{"type":"err","code":"crc","ident":"${S}"}`,
        '{"type":"cycle","trigger":"read","count":2,"errors":1}',
      ],
    });
    const protocolErrors: string[] = [];
    client.on('protocol-error', (e: { kind: string }) => protocolErrors.push(e.kind));
    const cycle = await client.read();
    assert.equal(cycle.outcomes.length, 2);
    const [good, bad] = cycle.outcomes;
    assert.ok(good.ok);
    assert.deepEqual(good.reading, { ident: A, timestamp: 1764000000.5, temperature: 21.437, resolution: 12, power: 'external' });
    assert.ok(!bad.ok && bad.error.code === 'crc' && bad.error.ident === S);
    assert.deepEqual(protocolErrors, ['wrong_type']);
  });

  it('reports an empty bus as a bus error, and out-of-range values as errors', async () => {
    const { client } = scripted({
      read: [
        '{"type":"err","code":"no_device"}',
        `{"type":"temp","ident":"${A}","millicelsius":-127000,"resolution":12,"power":"external"}`,
        '{"type":"cycle","trigger":"read","count":1,"errors":0}',
      ],
    });
    const cycle = await client.read();
    assert.match(cycle.busError ?? '', /no sensor answered/);
    assert.ok(!cycle.outcomes[0].ok && cycle.outcomes[0].error.code === 'out_of_range');
  });

  it('emits cycles the board runs on its own interval', async () => {
    const { client } = scripted({});
    const seen = new Promise<number>((resolve) => client.once('cycle', (c: { outcomes: unknown[] }) => resolve(c.outcomes.length)));
    client.receive(
      Buffer.from(
        `{"type":"temp","ident":"${A}","millicelsius":1000,"resolution":12,"power":"external"}\n` +
          '{"type":"cycle","trigger":"interval","count":1,"errors":0}\n',
      ),
    );
    assert.equal(await seen, 1);
  });

  it('rejects a refused command and keeps working', async () => {
    const { client } = scripted({
      'res 13': ['{"type":"err","code":"bad_argument","command":"res"}'],
      'res 10': ['{"type":"ok","command":"res","resolution":10}'],
    });
    await assert.rejects(client.setResolution(13), /refused "res 13": bad_argument/);
    await client.setResolution(10);
  });

  it('keeps the sensors that refused a resolution to the res command, out of the next read cycle', async () => {
    const { client } = scripted({
      'res 9': [`{"type":"err","code":"crc","ident":"${A}"}`, '{"type":"ok","command":"res","resolution":9}'],
      read: [
        `{"type":"temp","ident":"${A}","millicelsius":21500,"resolution":12,"power":"external"}`,
        '{"type":"cycle","trigger":"read","count":1,"errors":0}',
      ],
    });
    const refused = await client.setResolution(9);
    assert.deepEqual(
      refused.map((o) => (o.ok ? 'ok' : `${o.error.ident} ${o.error.code}`)),
      [`${A} crc`],
    );
    const cycle = await client.read();
    assert.deepEqual(
      cycle.outcomes.map((o) => o.ok),
      [true],
    );
  });

  it('sends one command at a time, in order', async () => {
    const { client, sent } = scripted({
      'interval 5000': ['{"type":"ok","command":"interval","interval":5000}'],
      'res 9': ['{"type":"ok","command":"res","resolution":9}'],
    });
    const both = Promise.all([client.setInterval(5000), client.setResolution(9)]);
    assert.deepEqual(sent, ['interval 5000\n']);
    await both;
    assert.deepEqual(sent, ['interval 5000\n', 'res 9\n']);
  });

  it('times out a silent board and rejects everything in flight on interrupt', async () => {
    const { client } = scripted({});
    await assert.rejects(client.read(), /did not answer "read"/);
    const pending = [client.read(), client.scan()];
    client.interrupt(new Error('paused for a flash'));
    for (const p of pending) await assert.rejects(p, /paused for a flash/);
  });

  it('rejects when the port refuses the write', async () => {
    const client = new BridgeClient({ write: () => Promise.reject(new Error('port closed')) });
    await assert.rejects(client.scan(), /port closed/);
  });

  describe('a board that never finishes what it started', () => {
    const ident = (i: number) => `28-0000000000${i.toString(16).padStart(2, '0')}`;

    it('refuses commands beyond the queue limit with the reason, and keeps the ones waiting', async () => {
      const { client, sent } = scripted({}, { readTimeoutMs: 60_000, commandTimeoutMs: 60_000 });
      const waiting = Array.from({ length: MAX_QUEUED_COMMANDS + 1 }, () => client.read());
      const settled = waiting.map((p) =>
        p.then(
          () => 'read',
          (e: Error) => e.message,
        ),
      );
      await assert.rejects(
        client.read(),
        new RegExp(`${MAX_QUEUED_COMMANDS} commands are already waiting for the board \\("read" has no answer yet\\)`),
      );
      await assert.rejects(client.scan(), /commands are already waiting/);
      assert.deepEqual(sent, ['read\n'], 'one command at a time on the wire');
      client.interrupt(new Error('closed'));
      assert.deepEqual(await Promise.all(settled), new Array(MAX_QUEUED_COMMANDS + 1).fill('closed'));
    });

    it("keeps at most the firmware's 16 sensors of a scan that never ends, and names each extra line", async () => {
      const { client } = scripted({});
      const extras: string[] = [];
      client.on('protocol-error', (e: { kind: string }) => extras.push(e.kind));
      const lines = Array.from(
        { length: 200 },
        (_, i) => `{"type":"sensor","ident":"${ident(i)}","model":"DS18B20","power":"external","resolution":12}\n`,
      );
      client.receive(Buffer.from(lines.join('') + '{"type":"sensors","count":200}\n'));
      assert.equal(client.sensors.length, MAX_BRIDGE_SENSORS);
      assert.deepEqual(
        client.sensors.map((s) => s.ident),
        Array.from({ length: MAX_BRIDGE_SENSORS }, (_, i) => ident(i)),
      );
      assert.deepEqual(extras, new Array(200 - MAX_BRIDGE_SENSORS).fill('too_many_sensors'));
    });

    it('keeps at most 16 outcomes of a cycle that never ends', async () => {
      const { client } = scripted({});
      const cycle = new Promise<number>((resolve) => client.once('cycle', (c: { outcomes: unknown[] }) => resolve(c.outcomes.length)));
      const lines = Array.from({ length: 150 }, (_, i) =>
        i % 2 === 0
          ? `{"type":"temp","ident":"${ident(i)}","millicelsius":1000,"resolution":12,"power":"external"}\n`
          : `{"type":"err","code":"crc","ident":"${ident(i)}"}\n`,
      );
      client.receive(Buffer.from(lines.join('') + '{"type":"cycle","trigger":"interval","count":150,"errors":75}\n'));
      assert.equal(await cycle, MAX_BRIDGE_SENSORS);
    });
  });
});
