import { strict as assert } from 'assert';
import { compileTopicTemplate, topicChooser, validatePublishTopic } from '../../../src/flespi/topic';
import { RuleError } from '../../../src/field-rules';

const refusedBy = (rule: string) => (error: unknown) => error instanceof RuleError && error.problem.rule === rule;

const fillTopicTemplate = (template: string, msg: Record<string, unknown>) => compileTopicTemplate(template)(msg);
const chooseTopic = (nodeTopic: string, msg: Record<string, unknown>) => topicChooser(nodeTopic)(msg);

describe('flespi topics', () => {
  const reading = { payload: { ident: '28-0316a27950ff', temperature: 21.5 }, topic: '28-0316a27950ff' };

  it('fills a template from the reading in msg.payload, then from the message', () => {
    assert.equal(fillTopicTemplate('sensors/{{ident}}/temperature', reading), 'sensors/28-0316a27950ff/temperature');
    assert.equal(
      fillTopicTemplate('home/{{ location }}/{{topic}}', { payload: { location: 'cellar' }, topic: 'boiler' }),
      'home/cellar/boiler',
    );
    assert.equal(fillTopicTemplate('x/{{meta.room}}', { payload: { meta: { room: 'attic' } } }), 'x/attic');
  });

  it('refuses a template value that is missing or would add topic levels or wildcards', () => {
    assert.throws(() => fillTopicTemplate('s/{{ident}}', { payload: {} }), /needs \{\{ident\}\}, but the message has no ident/);
    assert.throws(() => fillTopicTemplate('s/{{ident}}', { payload: { ident: 'a/b' } }), /would change the topic's levels/);
    assert.throws(() => fillTopicTemplate('s/{{ident}}', { payload: { ident: '#' } }), /contains "\/", "\+" or "#"/);
    assert.throws(() => fillTopicTemplate('s/{{ident}}', { payload: { ident: { a: 1 } } }), /is an object/);
  });

  it('refuses topics flespi would refuse or that only make sense for subscribing', () => {
    // The node words each rule from its catalog (test/src/field-rules.test.ts covers the rules themselves).
    assert.throws(() => validatePublishTopic(''), refusedBy('topicMissing'));
    assert.throws(() => validatePublishTopic(undefined), refusedBy('topicMissing'));
    assert.throws(() => validatePublishTopic('/sensors'), refusedBy('topicSlash'));
    assert.throws(() => validatePublishTopic('flespi/state'), refusedBy('topicReserved'));
    assert.throws(() => validatePublishTopic('a/+/b'), refusedBy('topicWildcard'));
    assert.throws(() => validatePublishTopic('a/#'), refusedBy('topicWildcard'));
    assert.throws(() => validatePublishTopic('x'.repeat(70000)), refusedBy('topicLength'));
    assert.equal(validatePublishTopic('flespianything/ok'), 'flespianything/ok');
  });

  it('prefers the node topic, then msg.topic, then the reading topic', () => {
    assert.equal(chooseTopic('rooms/{{ident}}', reading), 'rooms/28-0316a27950ff');
    assert.equal(chooseTopic('', { payload: 1, topic: 'plain/topic' }), 'plain/topic');
    assert.equal(chooseTopic('  ', { payload: { ident: '28-aa' } }), 'sensors/28-aa/temperature');
    assert.throws(() => chooseTopic('', { payload: 5 }), refusedBy('topicMissing'));
  });
});
