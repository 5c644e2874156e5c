import assert from 'node:assert/strict';
import { FlashProgress, ProgressReporter } from '../../../src/esp8266/flash-progress';

describe('flash progress', () => {
  it('maps each phase into its share of one percentage', () => {
    const seen: FlashProgress[] = [];
    const reporter = new ProgressReporter((p) => seen.push(p));
    reporter.report('connecting');
    reporter.report('writing', 0);
    reporter.report('writing', 0.5, { sentBytes: 50, totalBytes: 100 });
    reporter.report('writing', 1);
    reporter.report('done', 1);
    assert.deepEqual(
      seen.map((p) => [p.phase, p.percent]),
      [
        ['connecting', 1],
        ['writing', 15],
        ['writing', 55],
        ['writing', 95],
        ['done', 100],
      ],
    );
    assert.equal(seen[2].sentBytes, 50);
  });

  it('never goes backwards and drops repeats', () => {
    const seen: number[] = [];
    const reporter = new ProgressReporter((p) => seen.push(p.percent));
    reporter.report('writing', 0.5);
    reporter.report('writing', 0.5);
    reporter.report('writing', 0.2);
    reporter.report('erasing');
    assert.deepEqual(seen, [55, 55]);
    assert.equal(reporter.phase, 'erasing');
  });

  it('keeps track of the phase when nobody listens', () => {
    const reporter = new ProgressReporter(undefined);
    reporter.report('validating');
    assert.equal(reporter.phase, 'validating');
  });
});
