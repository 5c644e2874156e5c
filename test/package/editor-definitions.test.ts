import { strict as assert } from 'assert';
import { findEditorDefinitions, findEditTemplates, findHelpTexts } from './editor-definitions';

const literalNode = `
<script type="text/javascript">
  RED.nodes.registerType('probe-out', {
    category: 'flespi ESP8266', color: '#a6bbcf', icon: 'flespi.svg', inputs: 1, outputs: 0,
    defaults: { name: { value: '' }, broker: { type: 'probe-config', required: true } },
    credentials: { token: { type: 'password' } },
    label: function () { return this.name || 'probe'; }
  });
</script>
<script type="text/html" data-template-name="probe-out"><input id="node-input-name"></script>
<script data-help-name="probe-out" type="text/markdown">Publishes each message to the broker.</script>`;

describe('editor definitions read as the Flow Library reads them', function () {
  it('finds the type, literal properties and the defaults and credentials names', function () {
    const [definition] = findEditorDefinitions(literalNode);
    assert.equal(definition.type, 'probe-out');
    assert.deepEqual(definition.literals, { category: 'flespi ESP8266', color: '#a6bbcf', icon: 'flespi.svg', inputs: 1, outputs: 0 });
    assert.deepEqual(definition.defaults, ['name', 'broker']);
    assert.deepEqual(definition.credentials, ['token']);
    assert.deepEqual(definition.problems, []);
  });

  it('reports a category or icon computed at run time', function () {
    const html = `<script type="text/javascript">
      const c = 'x';
      RED.nodes.registerType('probe', { category: c, color: '#fff', icon: RED.settings.icon, inputs: 1, outputs: 1 });
    </script>`;
    assert.deepEqual(findEditorDefinitions(html)[0].problems, [
      'probe: category is not a literal',
      'probe: icon is not a literal',
      'probe: category is missing or not a literal',
    ]);
  });

  it('reports a type name or definition that is not a literal', function () {
    const html = `<script type="text/javascript">
      const def = { category: 'a', color: '#fff' };
      RED.nodes.registerType(NAME, {});
      RED.nodes.registerType('probe', def);
    </script>`;
    assert.deepEqual(
      findEditorDefinitions(html).map((d) => d.problems[0]),
      ['registerType called with a non-literal type name', 'probe: the definition is not an inline object'],
    );
  });

  it('ignores registerType calls in templates and help, which the editor never runs as code', function () {
    const html = `<script type="text/html" data-template-name="x">RED.nodes.registerType('ghost', {})</script>`;
    assert.deepEqual(findEditorDefinitions(html), []);
  });

  it('finds help text in either attribute order and edit templates by name', function () {
    assert.equal(findHelpTexts(literalNode).get('probe-out'), 'Publishes each message to the broker.');
    assert.deepEqual([...findEditTemplates(literalNode)], ['probe-out']);
  });

  it('throws on a script block that is not valid JavaScript', function () {
    assert.throws(() => findEditorDefinitions('<script type="text/javascript">RED.nodes.registerType(\'x\', {</script>'), SyntaxError);
  });
});
