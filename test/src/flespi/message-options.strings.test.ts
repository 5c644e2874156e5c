import { strict as assert } from 'assert';
import { messageProperties } from '../../../src/flespi/message-options';
import { encodePublish } from '../../../src/flespi/publish-packet';
import { RuleError } from '../../../src/field-rules';

/** The rule a refusal names, for the out node's catalog. */
function refusal(run: () => unknown): { rule: string; params?: Record<string, unknown> } {
  try {
    run();
  } catch (error) {
    assert.ok(error instanceof RuleError, `expected a RuleError, got ${String(error)}`);
    return error.problem;
  }
  assert.fail('expected a refusal');
}

describe('MQTT 5 strings a message brings (content type, user properties)', () => {
  it('refuses U+0000 in msg.contentType, a user property name or value, naming the field', () => {
    assert.deepEqual(
      refusal(() => messageProperties({ contentType: 'text/plain\u0000' })),
      { rule: 'propertyControl', params: { field: 'msg.contentType', code: 'U+0000' } },
    );
    assert.deepEqual(
      refusal(() => messageProperties({ userProperties: { 'a\u0000': 'x' } })).params?.field,
      'a name in msg.userProperties',
    );
    assert.deepEqual(
      refusal(() => messageProperties({ userProperties: { site: ['ok', 'bad\u0000'] } })).params?.field,
      'msg.userProperties.site',
    );
  });

  it('refuses the other control characters a broker may call malformed (U+0001–U+001F, U+007F–U+009F)', () => {
    assert.equal(refusal(() => messageProperties({ contentType: 'a\nb' })).params?.code, 'U+000A');
    assert.equal(refusal(() => messageProperties({ userProperties: { k: 'x\u0085' } })).params?.code, 'U+0085');
  });

  it('refuses a string over 65,535 bytes of UTF-8, counting bytes rather than characters', () => {
    assert.equal(messageProperties({ contentType: 'a'.repeat(65_535) })?.contentType?.length, 65_535);
    assert.deepEqual(
      refusal(() => messageProperties({ contentType: 'a'.repeat(65_536) })),
      { rule: 'propertyLength', params: { field: 'msg.contentType', max: 65_535 } },
    );
    assert.equal(refusal(() => messageProperties({ userProperties: { k: 'é'.repeat(32_768) } })).rule, 'propertyLength');
    assert.equal(refusal(() => messageProperties({ userProperties: { ['n'.repeat(70_000)]: 'v' } })).rule, 'propertyLength');
  });

  it('sends a user property named __proto__ as any other name', () => {
    const userProperties = JSON.parse('{"__proto__":"x","site":"kitchen"}') as Record<string, unknown>;
    const properties = messageProperties({ userProperties });
    assert.deepEqual(Object.entries(properties?.userProperties ?? {}), [
      ['__proto__', 'x'],
      ['site', 'kitchen'],
    ]);
    // A parser that builds a plain object would lose it again: look for the property's bytes (0x26, name, value).
    const packet = encodePublish({ topic: 't', payload: 'p', qos: 0, retain: false, properties }, 0, 5);
    assert.ok(packet.includes(Buffer.from('\u0026\u0000\u0009__proto__\u0000\u0001x', 'latin1')), packet.toString('hex'));
  });
});
