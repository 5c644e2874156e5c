// The firmware's main loop cross-compiled for lx106 and run under QEMU, driven over
// stdin/stdout like a host drives the board over its serial port. The bus is the simulated
// one in firmware/platform/qemu/bridge_qemu.c: a DS18B20 at 21.4375 °C, a parasite-powered
// DS18S20 at -24.875 °C and a DS1822 at -10.125 °C whose first reading fails its CRC.
import assert from 'assert';
import { ChildProcessWithoutNullStreams, spawn } from 'child_process';

import { isBridgeHello, parseBridgeLine } from '../../src/onewire/bridge-protocol';
import { buildFirmware, FirmwareBuild, qemuArgs } from './toolchain';

interface Session {
  lines: string[];
  send(text: string): void;
  /** Waits until `count` more lines arrived after `from` and returns them. */
  next(from: number, count: number): Promise<string[]>;
  end(): Promise<number | null>;
}

function startBridge(elf: string): { child: ChildProcessWithoutNullStreams; session: Session } {
  const child = spawn('qemu-system-xtensa', qemuArgs(elf));
  let text = '';
  const lines: string[] = [];
  const waiters: Array<() => void> = [];
  child.stdout.setEncoding('latin1');
  child.stdout.on('data', (chunk: string) => {
    text += chunk;
    const parts = text.split('\n');
    text = parts.pop() ?? '';
    lines.push(...parts);
    waiters.splice(0).forEach((wake) => wake());
  });
  const exited = new Promise<number | null>((resolve) => child.on('exit', (code) => resolve(code)));

  const session: Session = {
    lines,
    send: (data) => { child.stdin.write(data); },
    next: (from, count) => new Promise((resolve, reject) => {
      const timer = setTimeout(() => reject(new Error(`timed out waiting for ${count} lines; got:\n${lines.slice(from).join('\n')}`)), 10000);
      const check = (): void => {
        if (lines.length >= from + count) {
          clearTimeout(timer);
          resolve(lines.slice(from, from + count));
        } else {
          waiters.push(check);
        }
      };
      check();
    }),
    end: () => {
      child.stdin.end();
      return exited;
    },
  };
  return { child, session };
}

const json = (lines: string[]): unknown[] => lines.map((l) => JSON.parse(l));

describe('firmware: bridge main loop on lx106 under QEMU', function () {
  this.timeout(60000);
  let build: FirmwareBuild;
  let child: ChildProcessWithoutNullStreams | undefined;
  let session: Session;

  before(async () => {
    build = await buildFirmware();
  });

  beforeEach(() => {
    ({ child, session } = startBridge(build.qemuBridge));
  });

  afterEach(() => {
    if (child && child.exitCode === null) child.kill('SIGKILL');
  });

  after(() => {
    build?.remove();
  });

  it('boots with the wake-up newline, hello and the scan result', async () => {
    const boot = await session.next(0, 6);
    assert.strictEqual(boot[0], '\r');
    assert.deepStrictEqual(json(boot.slice(1)), [
      { type: 'hello', firmware: 'ds18b20-bridge', version: '1.1.0', protocol: 1, pin: 4, interval: 0, resolution: 0, max_sensors: 16 },
      { type: 'sensor', ident: '10-000802b4a1c3', model: 'DS18S20', power: 'parasite', resolution: 9 },
      { type: 'sensor', ident: '28-0316a27950ff', model: 'DS18B20', power: 'external', resolution: 12 },
      { type: 'sensor', ident: '22-060504030201', model: 'DS1822', power: 'external', resolution: 12 },
      { type: 'sensors', count: 3 },
    ]);
    // key order is part of the protocol
    assert.strictEqual(boot[2], '{"type":"sensor","ident":"10-000802b4a1c3","model":"DS18S20","power":"parasite","resolution":9}');
    assert.strictEqual(await session.end(), 0);
  });

  it('reads every sensor, reports a CRC failure as an error line, then recovers', async () => {
    await session.next(0, 6);
    session.send('read\n');
    assert.deepStrictEqual(json(await session.next(6, 4)), [
      { type: 'temp', ident: '10-000802b4a1c3', millicelsius: -24875, resolution: 9, power: 'parasite' },
      { type: 'temp', ident: '28-0316a27950ff', millicelsius: 21437, resolution: 12, power: 'external' },
      { type: 'err', code: 'crc', ident: '22-060504030201' },
      { type: 'cycle', trigger: 'read', count: 3, errors: 1 },
    ]);
    session.send('read\n');
    const second = json(await session.next(10, 4));
    assert.deepStrictEqual(second[2], { type: 'temp', ident: '22-060504030201', millicelsius: -10125, resolution: 12, power: 'external' });
    assert.deepStrictEqual(second[3], { type: 'cycle', trigger: 'read', count: 3, errors: 0 });
    assert.strictEqual(await session.end(), 0);
  });

  it('changes the resolution of the sensors that have one, reporting the one it could not reach', async () => {
    await session.next(0, 6);
    session.send('res 10\nread\n');
    assert.deepStrictEqual(json(await session.next(6, 6)), [
      // the DS1822's scratchpad arrives corrupted once more, so its configuration is left alone
      { type: 'err', code: 'crc', ident: '22-060504030201' },
      { type: 'ok', command: 'res', resolution: 10 },
      { type: 'temp', ident: '10-000802b4a1c3', millicelsius: -24875, resolution: 9, power: 'parasite' },
      { type: 'temp', ident: '28-0316a27950ff', millicelsius: 21250, resolution: 10, power: 'external' },
      { type: 'temp', ident: '22-060504030201', millicelsius: -10125, resolution: 12, power: 'external' },
      { type: 'cycle', trigger: 'read', count: 3, errors: 0 },
    ]);
    assert.strictEqual(await session.end(), 0);
  });

  it('answers bad commands with error lines and keeps working', async () => {
    await session.next(0, 6);
    session.send(`bogus\nres 13\ninterval 250\n${'x'.repeat(300)}\n\r\nhello\n`);
    const lines = await session.next(6, 5);
    assert.deepStrictEqual(lines.slice(0, 4), [
      '{"type":"err","code":"bad_command"}',
      '{"type":"err","code":"bad_argument","command":"res"}',
      '{"type":"err","code":"bad_argument","command":"interval"}',
      '{"type":"err","code":"line_too_long"}',
    ]);
    assert.strictEqual((JSON.parse(lines[4]) as { type: string }).type, 'hello');
    assert.strictEqual(await session.end(), 0);
    assert.ok(session.lines.every((l) => l.length < 256));
  });

  it('speaks lines the host parser accepts, every one of them', async () => {
    await session.next(0, 6);
    session.send('read\nres 11\nscan\ninterval 1000\ninterval 0\nhello\nnope\n');
    await session.next(6, 4 + 1 + 4 + 1 + 1 + 1 + 1);
    assert.strictEqual(await session.end(), 0);
    const parsed = session.lines.map((line) => parseBridgeLine(line));
    assert.deepStrictEqual(parsed[0], { kind: 'noise' }); // the wake-up "\r\n"
    const events = parsed.slice(1).map((p, i) => {
      assert.strictEqual(p.kind, 'event', `line ${i + 1}: ${session.lines[i + 1]}`);
      return p.kind === 'event' ? p.event : undefined;
    });
    assert.ok(events[0] && isBridgeHello(events[0]));
    assert.deepStrictEqual(events.map((e) => e?.type), [
      'hello', 'sensor', 'sensor', 'sensor', 'sensors',
      'temp', 'temp', 'err', 'cycle',
      'ok',
      'sensor', 'sensor', 'sensor', 'sensors',
      'ok', 'ok', 'hello', 'err',
    ]);
  });
});
