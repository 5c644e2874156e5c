import { strict as assert } from 'assert';
import { execFileSync } from 'child_process';
import { promises as fs, mkdtempSync } from 'fs';
import * as os from 'os';
import * as path from 'path';
import { W1Reader } from '../../../src/onewire/w1-reader';
import { POOL_THREADS_KEPT_FREE, W1Gate, libuvPoolSize, w1Gate } from '../../../src/onewire/w1-gate';
import { SensorOutcome } from '../../../src/onewire/reading';
import { FakeW1Tree } from './fake-w1-tree';
import { WedgedW1Files, fdatasyncWithin } from './wedged-w1-files';
import { withFileModesEnforced } from '../../support/file-modes';

const A = '28-0316a27950ff';
const B = '28-000004b5c6d7';
const S = '10-000802b4a1c3';

function codes(outcomes: SensorOutcome[]): string[] {
  return outcomes.map((o) => (o.ok ? `${o.reading.ident}=${o.reading.temperature}` : `${o.error.ident}:${o.error.code}`));
}

describe('onewire w1 sysfs reader', () => {
  let tree: FakeW1Tree;

  beforeEach(async () => {
    tree = await FakeW1Tree.create();
  });
  afterEach(async () => {
    await tree.remove();
  });

  it('lists thermometers on every bus master and ignores other families', async () => {
    await tree.addMaster(1, [A, '01-000000000001']);
    await tree.addMaster(2, [S]);
    await tree.addSensor(A, 21437);
    await tree.addSensor(S, 25000);
    await tree.addSensor(B, 1000); // present as a directory only (no master lists it)
    const reader = new W1Reader({ root: tree.root });
    assert.deepEqual(await reader.listSensors(), [S, B, A].sort());
  });

  it('treats "not found." in w1_master_slaves as an empty bus', async () => {
    await tree.addMaster(1, []);
    assert.deepEqual(await new W1Reader({ root: tree.root }).listSensors(), []);
  });

  it('explains a missing w1 tree instead of crashing', async () => {
    const reader = new W1Reader({ root: path.join(tree.root, 'nope') });
    await assert.rejects(reader.listSensors(), /no 1-Wire bus at .*ENOENT.*w1-gpio/);
  });

  it('reads w1_slave (crc=YES, t=) with resolution and supply, stamping seconds', async () => {
    await tree.addMaster(1, [A]);
    await tree.addSensor(A, 21437, { resolution: 12, extPower: 1 });
    const reader = new W1Reader({ root: tree.root, now: () => 1764000000123 });
    const [outcome] = await reader.readAll();
    assert.ok(outcome.ok, JSON.stringify(outcome));
    assert.deepEqual(outcome.reading, {
      ident: A,
      timestamp: 1764000000.123,
      temperature: 21.437,
      resolution: 12,
      power: 'external',
    });
  });

  it('reads the documented example scratchpad exactly as the kernel prints it', async () => {
    await tree.writeRaw(A, 'w1_slave', '72 01 4b 46 7f ff 0e 10 57 : crc=57 YES\n72 01 4b 46 7f ff 0e 10 57 t=23125\n');
    const outcome = await new W1Reader({ root: tree.root }).read(A);
    assert.ok(outcome.ok && outcome.reading.temperature === 23.125 && outcome.reading.resolution === 12);
  });

  it('falls back to the newer temperature file when w1_slave is absent', async () => {
    await tree.writeRaw(A, 'temperature', '-10125\n');
    await tree.writeRaw(A, 'resolution', '11\n');
    const outcome = await new W1Reader({ root: tree.root }).read(A);
    assert.ok(outcome.ok && outcome.reading.temperature === -10.125 && outcome.reading.resolution === 11);
  });

  it('reports crc=NO, the 85 °C power-on value, a vanished sensor and an absent one per sensor', async () => {
    await tree.addMaster(1, [A, B, S, '28-00000000abcd']);
    await tree.addSensor(A, 21437, { crcFails: true });
    await tree.addSensor(B, 85000, { powerOn: true });
    await tree.addSensor(S, 0, { allOnes: true });
    const outcomes = await new W1Reader({ root: tree.root }).readAll([A, B, S, '28-00000000abcd']);
    assert.deepEqual(codes(outcomes), [`${A}:crc`, `${B}:power_on_value`, `${S}:no_device`, '28-00000000abcd:no_device']);
  });

  it('treats temperature=85000 without a scratchpad as the power-on value', async () => {
    await tree.writeRaw(A, 'temperature', '85000\n');
    const outcome = await new W1Reader({ root: tree.root }).read(A);
    assert.ok(!outcome.ok && outcome.error.code === 'power_on_value');
  });

  it('reports garbage in w1_slave and a directory where the file should be (EISDIR) as errors', async () => {
    await tree.writeRaw(A, 'w1_slave', 'hello\nworld\n');
    await fs.mkdir(path.join(tree.root, B, 'w1_slave'), { recursive: true });
    const outcomes = await new W1Reader({ root: tree.root }).readAll([A, B, 'not-an-id']);
    assert.deepEqual(codes(outcomes), [`${A}:bad_data`, `${B}:read_failed`, 'not-an-id:bad_data']);
    assert.ok(!outcomes[1].ok && /not a readable attribute/.test(outcomes[1].error.message));
  });

  it('refuses a FIFO instead of blocking on it', async () => {
    await fs.mkdir(path.join(tree.root, A), { recursive: true });
    execFileSync('mkfifo', [path.join(tree.root, A, 'w1_slave')]);
    const outcome = await new W1Reader({ root: tree.root }).read(A);
    assert.ok(!outcome.ok && outcome.error.code === 'read_failed');
  });

  it('fails a sensor whose read never finishes, without holding up the others', async () => {
    await tree.addMaster(1, [A, B]);
    await tree.addSensor(A, 21000);
    await tree.addSensor(B, 22000);
    class WedgedBus extends W1Reader {
      protected override readAttribute(file: string): Promise<string> {
        return file.includes(B) ? new Promise<string>(() => undefined) : super.readAttribute(file);
      }
    }
    const started = Date.now();
    // A gate of its own: this read never returns, and would hold a slot of the process's gate for good.
    const outcomes = await new WedgedBus({ root: tree.root, sensorTimeoutMs: 200, gate: new W1Gate(2) }).readAll();
    assert.ok(Date.now() - started < 2000);
    assert.deepEqual(codes(outcomes), [`${B}:read_failed`, `${A}=21`]);
    assert.ok(!outcomes[0].ok && /within 200 ms/.test(outcomes[0].error.message));
  });

  it('reads many sensors through the gate and keeps the event loop free', async () => {
    const idents = Array.from({ length: 40 }, (_, i) => `28-0000000000${i.toString(16).padStart(2, '0')}`);
    await tree.addMaster(1, idents);
    for (const [i, ident] of idents.entries()) await tree.addSensor(ident, 20000 + i * 125);
    let ticks = 0;
    const timer = setInterval(() => {
      ticks++;
    }, 0);
    const outcomes = await new W1Reader({ root: tree.root }).readAll();
    clearInterval(timer);
    assert.equal(outcomes.length, 40);
    assert.ok(outcomes.every((o) => o.ok));
    assert.equal(outcomes[39].ok && outcomes[39].reading.temperature, 24.875);
    assert.ok(ticks > 0, 'timers ran while the sensors were read');
  });

  it('reports permission denied per sensor (checked with file modes enforced, which root ignores)', async function () {
    const tmp = mkdtempSync(path.join(os.tmpdir(), 'w1-perm-'));
    try {
      const root = path.join(tmp, 'devices');
      const other = new FakeW1Tree(root);
      await other.addMaster(1, [A, B]);
      await other.addSensor(A, 21000);
      await other.addSensor(B, 22000);
      await fs.chmod(path.join(root, B, 'w1_slave'), 0o000);
      const script = `const { W1Reader } = require(${JSON.stringify(require.resolve('../../../src/onewire/w1-reader'))});
        new W1Reader({ root: ${JSON.stringify(root)} }).readAll().then((o) => process.stdout.write(JSON.stringify(
          o.map((x) => x.ok ? 'ok' : x.error.code + ' ' + x.error.message))));`;
      const [command, args] = withFileModesEnforced(process.execPath, ['-e', script]);
      const out = execFileSync(command, args, { encoding: 'utf8', timeout: 10000 });
      const result = JSON.parse(out) as string[];
      // A and B sort as B, A.
      assert.equal(result[1], 'ok');
      assert.match(result[0], /^read_failed .*permission denied/);
    } finally {
      await fs.rm(tmp, { recursive: true, force: true });
    }
  });

  describe('with reads that hang in the kernel (a wedged bus master)', () => {
    let wedged: WedgedW1Files;
    beforeEach(() => {
      wedged = new WedgedW1Files();
    });
    afterEach(async () => {
      await wedged.release();
    });

    it("keeps libuv's pool usable across cycles, skips the hung sensor and keeps reading the others", async () => {
      await tree.addMaster(1, [A, B]);
      await tree.addSensor(A, 21000);
      await tree.addSensor(B, 22000);
      wedged.wedge(path.join(tree.root, B, 'w1_slave'));
      const reader = new W1Reader({ root: tree.root, sensorTimeoutMs: 200 });
      const seen: string[][] = [];
      for (let cycle = 0; cycle < 5; cycle++) {
        seen.push(codes(await reader.readAll()));
        await fdatasyncWithin(path.dirname(tree.root), 100);
      }
      assert.deepEqual(seen[0], [`${B}:read_failed`, `${A}=21`]);
      for (const later of seen.slice(1)) assert.deepEqual(later, [`${B}:stuck`, `${A}=21`]);
      assert.equal(wedged.blockedOpens, 1, 'one thread for the hung sensor, not one per cycle');
    });

    it("holds at most all but two of the pool's threads when every sensor hangs", async () => {
      const slots = libuvPoolSize() - POOL_THREADS_KEPT_FREE;
      assert.equal(w1Gate.slots, slots);
      const idents = Array.from({ length: slots + 3 }, (_, i) => `28-0000000000${i.toString(16).padStart(2, '0')}`);
      await tree.addMaster(1, idents);
      for (const ident of idents) {
        await tree.addSensor(ident, 20000);
        wedged.wedge(path.join(tree.root, ident, 'w1_slave'));
      }
      const reader = new W1Reader({ root: tree.root, sensorTimeoutMs: 200 });
      const outcomes = await reader.readAll();
      const failed = outcomes.map((o) => (o.ok ? 'ok' : o.error.code));
      assert.equal(failed.filter((c) => c === 'read_failed').length, slots, failed.join());
      assert.equal(failed.filter((c) => c === 'stuck').length, 3, failed.join());
      const skipped = outcomes.find((o) => !o.ok && o.error.code === 'stuck');
      assert.ok(
        skipped && !skipped.ok && new RegExp(`${slots} w1 reads have not returned`).test(skipped.error.message),
        JSON.stringify(skipped),
      );
      await fdatasyncWithin(path.dirname(tree.root), 100);
      assert.equal(wedged.blockedOpens, slots);
    });

    it('reads a sensor again once its hung read returns', async () => {
      await tree.addSensor(A, 21000);
      const file = path.join(tree.root, A, 'w1_slave');
      wedged.wedge(file);
      const reader = new W1Reader({ root: tree.root, sensorTimeoutMs: 200 });
      assert.deepEqual(codes(await reader.readAll([A])), [`${A}:read_failed`]);
      assert.deepEqual(codes(await reader.readAll([A])), [`${A}:stuck`]);
      await wedged.release();
      wedged = new WedgedW1Files();
      await waitUntilRead(reader, A);
      assert.deepEqual(codes(await reader.readAll([A])), [`${A}=21`]);
    });
  });
});

/** Polls until the reader stops skipping `ident` (the hung read's thread has come back). */
async function waitUntilRead(reader: W1Reader, ident: string): Promise<void> {
  const deadline = Date.now() + 5000;
  for (;;) {
    const [outcome] = await reader.readAll([ident]);
    if (outcome.ok || outcome.error.code !== 'stuck') return;
    if (Date.now() > deadline) throw new Error(`${ident} was still skipped after 5 s`);
    await new Promise((resolve) => setTimeout(resolve, 20));
  }
}
