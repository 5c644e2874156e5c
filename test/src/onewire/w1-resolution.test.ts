import { strict as assert } from 'assert';
import { execFileSync } from 'child_process';
import { promises as fs } from 'fs';
import * as path from 'path';
import { POOL_THREADS_KEPT_FREE, libuvPoolSize } from '../../../src/onewire/w1-gate';
import { W1Resolution } from '../../../src/onewire/w1-resolution';
import { withFileModesEnforced } from '../../support/file-modes';
import { eventually } from '../../support/wait';
import { FakeW1Tree } from './fake-w1-tree';
import { WedgedW1Files, fdatasyncWithin } from './wedged-w1-files';

const A = '28-0316a27950ff';
const B = '28-0416b3c4d5e6';
const S = '10-000802b4a1c3';

describe('onewire w1 resolution', () => {
  let tree: FakeW1Tree;

  beforeEach(async () => {
    tree = await FakeW1Tree.create();
    await tree.addSensor(A, 21000, { resolution: 12 });
    await tree.addSensor(B, 22000);
    await tree.addSensor(S, 23000);
  });

  afterEach(() => tree.remove());

  it('writes the resolution attribute once per sensor, leaves the DS18S20 alone and reports a kernel without the attribute', async () => {
    const resolution = new W1Resolution(tree.root, 9);
    const report = await resolution.apply([A, B, S]);
    assert.equal(await fs.readFile(path.join(tree.root, A, 'resolution'), 'utf8'), '9\n');
    assert.deepEqual(report?.idents, [B]);
    assert.equal(report?.kind, 'not-writable');
    assert.match(report?.detail ?? '', /28-0416b3c4d5e6: this kernel has no resolution attribute/);
    await fs.writeFile(path.join(tree.root, A, 'resolution'), '12\n');
    assert.equal(await resolution.apply([A, B, S]), undefined, 'each sensor is handled once');
    assert.equal(await fs.readFile(path.join(tree.root, A, 'resolution'), 'utf8'), '12\n');
  });

  it('never blocks on an attribute that is not a regular file', async () => {
    await fs.rm(path.join(tree.root, A, 'resolution'));
    execFileSync('mkfifo', [path.join(tree.root, A, 'resolution')]);
    const report = await new W1Resolution(tree.root, 10).apply([A]);
    assert.match(report?.detail ?? '', /not a regular file/);
  });

  it('reports a read-only attribute, as the kernel makes it for users other than root', async () => {
    await fs.chmod(path.join(tree.root, A, 'resolution'), 0o444);
    const script = `const { W1Resolution } = require(${JSON.stringify(require.resolve('../../../src/onewire/w1-resolution'))});
      new W1Resolution(${JSON.stringify(tree.root)}, 11).apply([${JSON.stringify(A)}]).then((r) => process.stdout.write(JSON.stringify(r ?? null)));`;
    const [command, args] = withFileModesEnforced(process.execPath, ['-e', script]);
    const report = JSON.parse(execFileSync(command, args, { encoding: 'utf8', timeout: 10000 })) as { idents: string[]; detail: string };
    assert.deepEqual(report.idents, [A]);
    assert.match(report.detail, /read-only for this user/);
    assert.equal(await fs.readFile(path.join(tree.root, A, 'resolution'), 'utf8'), '12\n');
  });

  describe('with writes that hang in the kernel (a wedged bus master)', () => {
    let wedged: WedgedW1Files;
    beforeEach(() => {
      wedged = new WedgedW1Files();
    });
    afterEach(async () => {
      await wedged.release();
    });

    it("holds at most all but two of the pool's threads when every write hangs, and starts no second one for a hung sensor", async () => {
      const slots = libuvPoolSize() - POOL_THREADS_KEPT_FREE;
      const idents = Array.from({ length: slots + 3 }, (_, i) => `28-0000000000${i.toString(16).padStart(2, '0')}`);
      for (const ident of idents) {
        await tree.addSensor(ident, 20000, { resolution: 12 });
        wedged.wedge(path.join(tree.root, ident, 'resolution'));
      }
      const resolution = new W1Resolution(tree.root, 9, { timeoutMs: 200 });
      const report = await resolution.apply(idents);
      assert.equal(report?.kind, 'failed');
      assert.deepEqual(report?.idents, idents);
      assert.equal(report?.detail.split('no answer from the kernel within 200 ms').length - 1, slots, report?.detail);
      assert.equal(report?.detail.split(`${slots} w1 reads or writes have not returned`).length - 1, 3, report?.detail);
      await fdatasyncWithin(path.dirname(tree.root), 100);
      assert.equal(wedged.blockedOpens, slots);

      const again = await resolution.apply(idents);
      assert.equal(again?.kind, 'failed', 'the sensors are tried again, and skipped while their writes hang');
      assert.equal(again?.detail.split('an earlier write has not returned').length - 1, slots, again?.detail);
      assert.equal(wedged.blockedOpens, slots, 'one thread per hung write, not one per call');
    });

    it('writes the resolution once the hung write has returned', async () => {
      const file = path.join(tree.root, A, 'resolution');
      wedged.wedge(file);
      const resolution = new W1Resolution(tree.root, 10, { timeoutMs: 200 });
      assert.match((await resolution.apply([A]))?.detail ?? '', /no answer from the kernel within 200 ms/);
      await wedged.release();
      wedged = new WedgedW1Files();
      await eventually('the resolution to be written', 5000, async () => ((await resolution.apply([A])) === undefined ? true : undefined));
      assert.equal(await fs.readFile(file, 'utf8'), '10\n');
    });
  });
});
