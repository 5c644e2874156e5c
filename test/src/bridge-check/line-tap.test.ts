import { strict as assert } from 'node:assert';
import { LineTap } from '../../../src/bridge-check/line-tap';

function tapped(text: string): LineTap {
  const tap = new LineTap();
  tap.receive(Buffer.from(text, 'latin1'));
  return tap;
}

describe('bridge-check line tap', () => {
  it('counts text lines as noise and unusable JSON as malformed, and leaves bridge lines and blank lines alone', () => {
    const tap = tapped(
      [
        '\u00f0\u0011~\u0000garbage\r',
        '\r',
        '',
        '{"type":"hello","firmware":"ds18b20-bridge","version":"1.0.0","protocol":1}',
        'Hello from my sketch!',
        '{"type":"temp","ident":"broken"}',
        '{"type":"blink"}',
        '{not json',
        '',
      ].join('\n'),
    );
    assert.equal(tap.noiseLines, 2);
    assert.equal(tap.malformedLines, 3);
  });

  it('counts an overlong run of boot-ROM bytes as noise, and an overlong JSON line as malformed', () => {
    const garbage = tapped(`${'\u00e2\u0011'.repeat(400)}\n`);
    assert.deepEqual([garbage.noiseLines, garbage.malformedLines], [1, 0]);
    const json = tapped(`{"type":"hello","firmware":"${'x'.repeat(300)}"}\n`);
    assert.deepEqual([json.noiseLines, json.malformedLines], [0, 1]);
  });

  it('joins a line split across chunks before judging it', () => {
    const tap = new LineTap();
    tap.receive(Buffer.from('{"type":"sensors",'));
    tap.receive(Buffer.from('"count":0}\nplain'));
    tap.receive(Buffer.from(' text\n'));
    assert.deepEqual([tap.noiseLines, tap.malformedLines], [1, 0]);
  });
});
