import { strict as assert } from 'assert';
import { SharedRead, WaitingInputs } from '../../../src/onewire/shared-read';

describe('onewire shared read', () => {
  it("gives callers that ask while a read runs that read's result, and starts afresh afterwards", async () => {
    const shared = new SharedRead<number>();
    let starts = 0;
    let finish!: (value: number) => void;
    const start = () => {
      starts += 1;
      return new Promise<number>((resolve) => {
        finish = resolve;
      });
    };
    const first = shared.run('all', start);
    const second = shared.run('all', start);
    await new Promise((resolve) => setImmediate(resolve));
    finish(1);
    assert.deepEqual(await Promise.all([first, second]), [1, 1]);
    assert.equal(starts, 1);
    const third = shared.run('all', start);
    await new Promise((resolve) => setImmediate(resolve));
    finish(2);
    assert.equal(await third, 2);
    assert.equal(starts, 2);
  });

  it('runs a read of another selection after the running one, and shares a failure too', async () => {
    const shared = new SharedRead<string>();
    const order: string[] = [];
    let failFirst!: (err: Error) => void;
    const first = shared.run('a', () => {
      order.push('a');
      return new Promise<string>((_, reject) => {
        failFirst = reject;
      });
    });
    const again = shared.run('a', () => Promise.resolve('not started'));
    const other = shared.run('b', () => {
      order.push('b');
      return Promise.resolve('b read');
    });
    await new Promise((resolve) => setImmediate(resolve));
    assert.deepEqual(order, ['a']);
    failFirst(new Error('bus gone'));
    await assert.rejects(first, /bus gone/);
    await assert.rejects(again, /bus gone/);
    assert.equal(await other, 'b read');
    assert.deepEqual(order, ['a', 'b']);
  });

  it('admits at most max waiting inputs, refuses the next at once, and admits again as they finish', async () => {
    const inputs = new WaitingInputs(2);
    const releases: Array<() => void> = [];
    const work = () => new Promise<string>((resolve) => releases.push(() => resolve('read')));
    const first = inputs.admit(work);
    const second = inputs.admit(work);
    assert.ok(first && second);
    assert.strictEqual(inputs.count, 2);
    assert.strictEqual(inputs.admit(work), undefined, 'the third waits for nothing');
    releases[0]();
    assert.strictEqual(await first, 'read');
    assert.strictEqual(inputs.count, 1);
    const third = inputs.admit(work);
    assert.ok(third, 'a place freed is taken again');
    releases[1]();
    releases[2]();
    await Promise.all([second, third]);
    assert.strictEqual(inputs.count, 0);
  });

  it('frees the place of a read that failed', async () => {
    const inputs = new WaitingInputs(1);
    await assert.rejects(inputs.admit(() => Promise.reject(new Error('bus gone'))) ?? Promise.resolve(), /bus gone/);
    assert.strictEqual(inputs.count, 0);
  });
});
