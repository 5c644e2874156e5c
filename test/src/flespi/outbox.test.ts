import { strict as assert } from 'assert';
import { Outbox } from '../../../src/flespi/outbox';

const item = (name: string, size = 10) => ({ name, size });

describe('offline outbox', () => {
  it('keeps order and drops the oldest when the count bound is reached', () => {
    const outbox = new Outbox<{ name: string; size: number }>({ maxMessages: 3, maxBytes: 1000 });
    assert.deepEqual(outbox.push(item('a')), []);
    outbox.push(item('b'));
    outbox.push(item('c'));
    assert.deepEqual(
      outbox.push(item('d')).map((i) => i.name),
      ['a'],
    );
    assert.equal(outbox.dropped, 1);
    assert.deepEqual(
      outbox.drain().map((i) => i.name),
      ['b', 'c', 'd'],
    );
    assert.equal(outbox.length, 0);
    assert.equal(outbox.byteLength, 0);
  });

  it('drops as many old messages as a large one needs and refuses one larger than the bound', () => {
    const outbox = new Outbox<{ name: string; size: number }>({ maxMessages: 100, maxBytes: 100 });
    outbox.push(item('a', 40));
    outbox.push(item('b', 40));
    assert.deepEqual(
      outbox.push(item('c', 90)).map((i) => i.name),
      ['a', 'b'],
    );
    assert.equal(outbox.byteLength, 90);
    assert.throws(() => outbox.push(item('huge', 101)), /more than the whole offline buffer holds/);
  });

  it('puts unconfirmed messages back at the front in their order', () => {
    const outbox = new Outbox<{ name: string; size: number }>({ maxMessages: 10, maxBytes: 1000 });
    outbox.push(item('c'));
    outbox.unshiftAll([item('a'), item('b')]);
    assert.equal(outbox.byteLength, 30);
    assert.deepEqual(
      [outbox.shift(), outbox.shift(), outbox.shift(), outbox.shift()].map((i) => i?.name),
      ['a', 'b', 'c', undefined],
    );
  });

  it('stays correct over many pushes and shifts', () => {
    const outbox = new Outbox<{ name: string; size: number }>({ maxMessages: 5000, maxBytes: 1 << 30 });
    let next = 0;
    let expected = 0;
    for (let round = 0; round < 50; round += 1) {
      for (let i = 0; i < 300; i += 1) outbox.push(item(String(next++), 1));
      for (let i = 0; i < 250; i += 1) assert.equal(outbox.shift()?.name, String(expected++));
    }
    assert.equal(outbox.length, next - expected);
    assert.equal(outbox.byteLength, next - expected);
  });

  it('refuses a bound that could hold nothing', () => {
    assert.throws(() => new Outbox({ maxMessages: 0, maxBytes: 10 }), /at least one message/);
  });
});
