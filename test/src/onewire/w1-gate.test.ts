import { strict as assert } from 'assert';
import { W1Gate, libuvPoolSize } from '../../../src/onewire/w1-gate';

/** A read the test finishes by hand, as the kernel would return it. */
function pending<T>(): { promise: Promise<T>; finish: (value: T) => void; started: boolean } {
  let finish!: (value: T) => void;
  const promise = new Promise<T>((resolve) => {
    finish = resolve;
  });
  return { promise, finish, started: false };
}

describe('onewire w1 gate', () => {
  it('takes the pool size from UV_THREADPOOL_SIZE as libuv does, 4 when unset', () => {
    assert.equal(libuvPoolSize({}), 4);
    assert.equal(libuvPoolSize({ UV_THREADPOOL_SIZE: '8' }), 8);
    assert.equal(libuvPoolSize({ UV_THREADPOOL_SIZE: 'many' }), 4);
    assert.equal(libuvPoolSize({ UV_THREADPOOL_SIZE: '5000' }), 1024);
  });

  it('runs at most `slots` reads at once and starts the next when one returns', async () => {
    const gate = new W1Gate(2);
    const reads = [pending<number>(), pending<number>(), pending<number>()];
    const outcomes = reads.map((r, i) =>
      gate.run(
        `s${i}`,
        () => {
          r.started = true;
          return r.promise;
        },
        10_000,
      ),
    );
    await new Promise((resolve) => setImmediate(resolve));
    assert.deepEqual(
      reads.map((r) => r.started),
      [true, true, false],
    );
    assert.equal(gate.inFlight, 2);
    reads[0].finish(0);
    assert.deepEqual(await outcomes[0], { kind: 'done', value: 0 });
    assert.equal(reads[2].started, true);
    reads[1].finish(1);
    reads[2].finish(2);
    assert.deepEqual(
      await Promise.all(outcomes),
      [0, 1, 2].map((value) => ({ kind: 'done', value })),
    );
    assert.equal(gate.inFlight, 0);
  });

  it('shares a running read of the same key instead of starting another', async () => {
    const gate = new W1Gate(2);
    const read = pending<string>();
    let starts = 0;
    const start = () => {
      starts += 1;
      return read.promise;
    };
    const first = gate.run('a', start, 10_000);
    const second = gate.run('a', start, 10_000);
    read.finish('21.5');
    assert.deepEqual(await Promise.all([first, second]), [
      { kind: 'done', value: '21.5' },
      { kind: 'done', value: '21.5' },
    ]);
    assert.equal(starts, 1);
  });

  it('keeps the slot of a read that timed out until it returns, and skips its key meanwhile', async () => {
    let clock = 1_000_000;
    const gate = new W1Gate(2, () => clock);
    const wedged = pending<string>();
    assert.deepEqual(await gate.run('a', () => wedged.promise, 20), { kind: 'timeout' });
    assert.equal(gate.inFlight, 1, 'the kernel still holds the thread');
    clock += 7000;
    let started = false;
    assert.deepEqual(
      await gate.run(
        'a',
        () => {
          started = true;
          return Promise.resolve('x');
        },
        20,
      ),
      { kind: 'stuck', sinceMs: 1_000_000 },
    );
    assert.equal(started, false);
    assert.deepEqual(await gate.run('b', () => Promise.resolve('22'), 20), { kind: 'done', value: '22' }, 'other keys keep reading');
    wedged.finish('late');
    await new Promise((resolve) => setImmediate(resolve));
    assert.equal(gate.inFlight, 0);
    assert.deepEqual(await gate.run('a', () => Promise.resolve('23'), 20), { kind: 'done', value: '23' }, 'read again once it returned');
  });

  it('answers "blocked" at once, and to those waiting, when every slot is held by a read that never returned', async () => {
    const gate = new W1Gate(2);
    const wedgedA = pending<string>();
    const wedgedB = pending<string>();
    const a = gate.run('a', () => wedgedA.promise, 20);
    const b = gate.run('b', () => wedgedB.promise, 20);
    const waiting = gate.run('c', () => Promise.resolve('never started'), 20);
    assert.deepEqual(await Promise.all([a, b]), [{ kind: 'timeout' }, { kind: 'timeout' }]);
    assert.deepEqual(await waiting, { kind: 'blocked', stuckReads: 2 });
    assert.deepEqual(await gate.run('d', () => Promise.resolve('no'), 20), { kind: 'blocked', stuckReads: 2 });
    assert.equal(gate.inFlight, 2);
    wedgedA.finish('back');
    await new Promise((resolve) => setImmediate(resolve));
    assert.deepEqual(await gate.run('d', () => Promise.resolve('yes'), 20), { kind: 'done', value: 'yes' });
    wedgedB.finish('back');
  });

  it('turns a read that rejects into a failed outcome and frees its slot', async () => {
    const gate = new W1Gate(1);
    const error = Object.assign(new Error('gone'), { code: 'ENOENT' });
    assert.deepEqual(await gate.run('a', () => Promise.reject(error), 100), { kind: 'failed', error });
    assert.equal(gate.inFlight, 0);
  });
});
