import { strict as assert } from 'assert';
import fc from 'fast-check';
import { LineSplitter } from '../../../src/onewire/line-splitter';

describe('onewire line splitter', () => {
  it('joins chunks into lines and keeps the partial tail', () => {
    const lines: string[] = [];
    const splitter = new LineSplitter(256, (l) => lines.push(l));
    splitter.push(Buffer.from('{"a":1}\n{"b"'));
    splitter.push(Buffer.from(':2}\n{"c'));
    assert.deepEqual(lines, ['{"a":1}', '{"b":2}']);
    splitter.reset();
    splitter.push(Buffer.from('x\n'));
    assert.deepEqual(lines, ['{"a":1}', '{"b":2}', 'x']);
  });

  it('drops an oversized line whole, reports it once, and resumes at the next newline', () => {
    const lines: string[] = [];
    const overflows: string[] = [];
    const splitter = new LineSplitter(
      16,
      (l) => lines.push(l),
      (e) => overflows.push(e),
    );
    splitter.push(Buffer.from('a'.repeat(40) + '\nok\n'));
    assert.deepEqual(lines, ['ok']);
    assert.equal(overflows.length, 1);
  });

  it('never holds more than its bound, whatever arrives (fuzz)', () => {
    fc.assert(
      fc.property(fc.array(fc.uint8Array({ maxLength: 100 }), { maxLength: 20 }), (chunks) => {
        const lines: string[] = [];
        const splitter = new LineSplitter(32, (l) => lines.push(l));
        for (const chunk of chunks) splitter.push(chunk);
        assert.ok(lines.every((l) => l.length < 32 && !l.includes('\n')));
      }),
      { numRuns: 500 },
    );
  });
});
