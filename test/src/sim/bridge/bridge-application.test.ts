import { strict as assert } from 'assert';
import type { ApplicationHost, BoardApplication } from '../../../../src/sim/application';
import { bridgeApplicationKind, setSimulatedBus, simulatedBusFor } from '../../../../src/sim/bridge/bridge-kind';
import { SimulatedBus, SimulatedBusOptions } from '../../../../src/sim/bridge/simulated-bus';
import { BridgeClient } from '../../../../src/onewire/bridge-client';
import { parseBridgeLine } from '../../../../src/onewire/bridge-protocol';
import { waitUntil } from '../../../support/wait';

const A = '28-0316a27950ff';
const B = '28-0416b3c4d5e6';
const S = '10-000802b4a1c3';

/** Runs the simulated bridge on a fake board: what it transmits is recorded and fed to a BridgeClient. */
class Bench {
  readonly lines: string[] = [];
  readonly flash = { size: 4096, read: (_a: number, n: number) => new Uint8Array(n).fill(0xff) };
  readonly bus: SimulatedBus;
  readonly app: BoardApplication;
  readonly client: BridgeClient;
  private partial = '';

  constructor(options: SimulatedBusOptions) {
    this.bus = setSimulatedBus(this.flash, { conversionTimeScale: 0.01, ...options });
    this.client = new BridgeClient({ write: (line) => this.app.receive(Buffer.from(line, 'latin1')), readTimeoutMs: 2000 });
    const host: ApplicationHost = {
      transmit: (bytes) => {
        this.client.receive(bytes);
        this.partial += Buffer.from(bytes).toString('latin1');
        const parts = this.partial.split('\n');
        this.partial = parts.pop() as string;
        this.lines.push(...parts);
      },
      flash: this.flash,
      now: () => Date.now(),
    };
    this.app = bridgeApplicationKind.start(host);
  }

  send(text: string): void {
    this.app.receive(Buffer.from(text, 'latin1'));
  }

  async until(predicate: (line: string) => boolean, from = 0): Promise<string[]> {
    await waitUntil(() => this.lines.slice(from).some(predicate), 5000, 'the line').catch(() => {
      throw new Error(`line never came; got ${JSON.stringify(this.lines)}`);
    });
    const hit = this.lines.slice(from).findIndex(predicate);
    return this.lines.slice(from, from + hit + 1);
  }
}

describe('simulated bridge firmware', () => {
  const benches: Bench[] = [];
  function bench(options: SimulatedBusOptions = {}): Bench {
    const b = new Bench(options);
    benches.push(b);
    return b;
  }
  afterEach(() => {
    for (const b of benches.splice(0)) b.app.stop();
  });

  it('recognises images that carry the firmware name', () => {
    assert.equal(bridgeApplicationKind.matches(Buffer.from('\u00e9\u0001...ds18b20-bridge...')), true);
    assert.equal(bridgeApplicationKind.matches(Buffer.from('\u00e9\u0001...blinky...')), false);
    assert.equal(bridgeApplicationKind.baud, 115200);
  });

  it('boots with \\r\\n, hello and a scan, every line valid JSON within 256 bytes', async () => {
    const b = bench({ sensors: [{ ident: A, temperature: 21.5 }, { ident: S, temperature: 25, power: 'parasite' }] });
    const boot = await b.until((l) => l.startsWith('{"type":"sensors"'));
    assert.deepEqual(boot, [
      '\r',
      '{"type":"hello","firmware":"ds18b20-bridge","version":"1.0.0","protocol":1,"pin":4,"interval":0,"resolution":0,"max_sensors":16}',
      // AN187 order compares ROM bits from bit 0 of the family byte up: 0x10 and 0x28 first differ in
      // bit 3 (0 for 0x10), so the DS18S20 comes first although it was wired second.
      `{"type":"sensor","ident":"${S}","model":"DS18S20","power":"parasite","resolution":9}`,
      `{"type":"sensor","ident":"${A}","model":"DS18B20","power":"external","resolution":12}`,
      '{"type":"sensors","count":2}',
    ]);
    for (const line of boot.slice(1)) assert.equal(parseBridgeLine(line).kind, 'event');
  });

  it('reads temperatures at the configured resolution, DS18S20 included', async () => {
    const b = bench({ sensors: [{ ident: A, temperature: 21.5 }, { ident: S, temperature: 25.5 }] });
    await b.client.hello();
    await b.client.setResolution(10);
    const cycle = await b.client.read();
    const temps = cycle.outcomes.map((o) => (o.ok ? [o.reading.ident, o.reading.temperature, o.reading.resolution] : o.error.code));
    assert.deepEqual(temps, [[S, 25.5, 9], [A, 21.5, 10]]);
  });

  it('turns each fault into the protocol error, and a vanished sensor into no_device', async () => {
    const b = bench({
      sensors: [
        { ident: A, temperature: 20 },
        { ident: B, temperature: 20, fault: 'crc' },
        { ident: '28-000000000a01', fault: 'power_on' },
        { ident: '28-000000000b02', fault: 'stuck_low' },
      ],
    });
    await b.client.scan();
    b.bus.setFault(A, 'vanished');
    const cycle = await b.client.read();
    const codes = Object.fromEntries(cycle.outcomes.map((o) => (o.ok ? [o.reading.ident, 'ok'] : [o.error.ident, o.error.code])));
    assert.deepEqual(codes, { [A]: 'no_device', [B]: 'crc', '28-000000000a01': 'power_on_value', '28-000000000b02': 'bus_short' });
    const cycleLine = b.lines.find((l) => l.startsWith('{"type":"cycle"'));
    assert.equal(cycleLine, '{"type":"cycle","trigger":"read","count":4,"errors":4}');
  });

  it('reports an empty bus and a shorted bus', async () => {
    const b = bench({ sensors: [] });
    await b.until((l) => l === '{"type":"sensors","count":0}');
    assert.ok(b.lines.includes('{"type":"err","code":"no_device"}'));
    const empty = await b.client.read();
    assert.match(empty.busError ?? '', /no sensor answered/);
    b.bus.shorted = true;
    const shorted = await b.client.read();
    assert.match(shorted.busError ?? '', /shorted/);
  });

  it('answers bad commands and arguments as PROTOCOL.md section 5 shows', async () => {
    const b = bench({ sensors: [] });
    await b.until((l) => l.startsWith('{"type":"sensors"'));
    const from = b.lines.length;
    b.send('interval 250\ninterval 5000\nreboot\n  \nres\tx\n' + 'x'.repeat(70) + '\nhello there\r\n');
    const answers = await b.until((l) => l.includes('"command":"hello"'), from);
    assert.deepEqual(answers, [
      '{"type":"err","code":"bad_argument","command":"interval"}',
      '{"type":"ok","command":"interval","interval":5000}',
      '{"type":"err","code":"bad_command"}',
      '{"type":"err","code":"bad_argument","command":"res"}',
      '{"type":"err","code":"line_too_long"}',
      '{"type":"err","code":"bad_argument","command":"hello"}',
    ]);
  });

  it('runs read cycles on its own interval with drifting temperatures', async () => {
    const b = bench({ sensors: [{ ident: A, temperature: 10, drift: 60 }] });
    await b.client.hello();
    const cycles: number[] = [];
    b.client.on('cycle', (c: { trigger: string; outcomes: Array<{ ok: boolean; reading?: { temperature: number } }> }) => {
      if (c.trigger === 'interval' && c.outcomes[0].ok) cycles.push(c.outcomes[0].reading!.temperature);
    });
    await b.client.setInterval(1000);
    await waitUntil(() => cycles.length >= 2, 10_000, 'two interval cycles');
    await b.client.setInterval(0);
    assert.ok(cycles[1] > cycles[0] && cycles[0] >= 10, `rising: ${cycles.join(', ')}`);
  });

  it('keeps one bus per board, made with defaults on first use', () => {
    const flash = { size: 1, read: () => new Uint8Array(0) };
    const bus = simulatedBusFor(flash);
    assert.equal(simulatedBusFor(flash), bus);
    assert.deepEqual(bus.sensors.map((s) => s.ident), [A, B]);
  });
});
