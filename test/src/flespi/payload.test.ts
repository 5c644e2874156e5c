import { strict as assert } from 'assert';
import { encodePayload } from '../../../src/flespi/payload';
import { RuleError } from '../../../src/field-rules';

const ruleOf = (run: () => unknown) => assert.throws(run, (error: unknown) => error instanceof RuleError && error.problem.rule !== '');
const problemOf = (run: () => unknown) => {
  try {
    run();
  } catch (error) {
    if (error instanceof RuleError) return error.problem;
    throw error;
  }
  return undefined;
};

describe('flespi payload encoding', () => {
  it('sends strings and Buffers as they are and objects as JSON', () => {
    assert.equal(encodePayload('21.5').toString(), '21.5');
    const bytes = Buffer.from([0, 1, 2]);
    assert.equal(encodePayload(bytes), bytes);
    assert.deepEqual(encodePayload(new Uint8Array([7])), Buffer.from([7]));
    assert.equal(encodePayload(42).toString(), '42');
    assert.equal(encodePayload(false).toString(), 'false');
    assert.deepEqual(JSON.parse(encodePayload({ ident: '28-a', temperature: 20.5 }).toString()), { ident: '28-a', temperature: 20.5 });
  });

  it('writes a reading timestamp in seconds, as flespi expects', () => {
    const seconds = 1764000000.123;
    assert.equal(JSON.parse(encodePayload({ ident: 'x', timestamp: seconds }).toString()).timestamp, seconds);
    assert.equal(JSON.parse(encodePayload({ ident: 'x', timestamp: 1764000000123 }).toString()).timestamp, 1764000000.123);
    assert.equal(JSON.parse(encodePayload({ ident: 'x', timestamp: new Date(1764000000500) }).toString()).timestamp, 1764000000.5);
    const array = JSON.parse(encodePayload([{ ident: 'a', timestamp: 1764000000000 }, 3]).toString());
    assert.deepEqual(array, [{ ident: 'a', timestamp: 1764000000 }, 3]);
  });

  it('refuses an empty payload and values that cannot be published', () => {
    assert.throws(() => encodePayload(undefined), /msg.payload is empty/);
    assert.throws(() => encodePayload(null), /msg.payload is empty/);
    assert.throws(() => encodePayload(() => 1), /cannot be published/);
    const circular: Record<string, unknown> = {};
    circular.self = circular;
    assert.throws(() => encodePayload(circular), /circular/i);
  });

  it('refuses an object whose toJSON() gives nothing, rather than failing later', () => {
    ruleOf(() => encodePayload({ toJSON: () => undefined }));
    assert.deepEqual(
      problemOf(() => encodePayload({ toJSON: () => undefined })),
      { rule: 'payloadNoJson' },
    );
  });

  it('refuses NaN and Infinity, which JSON would turn into null, naming where they are', () => {
    assert.deepEqual(
      problemOf(() => encodePayload({ ident: 'x', temperature: NaN })),
      { rule: 'payloadNotFinite', params: { value: 'NaN', key: 'temperature' } },
    );
    assert.deepEqual(
      problemOf(() => encodePayload([1, { t: -Infinity }])),
      { rule: 'payloadNotFinite', params: { value: '-Infinity', key: 't' } },
    );
    assert.equal(problemOf(() => encodePayload([Infinity]))?.params?.key, '0');
    // A null the message really holds stays null.
    assert.equal(encodePayload({ ident: 'x', temperature: null, note: 'null' }), '{"ident":"x","temperature":null,"note":"null"}');
  });
});
