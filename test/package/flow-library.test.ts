// What the Node-RED Flow Library checks when a version is published (node-red-dev validate and the
// library's own module scan), run offline against the built package.
import { strict as assert } from 'assert';
import * as fs from 'fs';
import * as path from 'path';
import { findEditorDefinitions } from './editor-definitions';
import { manifestProblems } from './manifest-checks';
import { PACKAGE_ROOT, declaredNodeFiles, exampleFlows, readManifest, registeredTypes } from './package-layout';

/**
 * Type names that published packages of the same domain register (the Flow Library catalogue needs the
 * internet): node-red-contrib-ds18b20 and its forks ('ds18b20'), node-red-contrib-sensor-ds18b20
 * ('sensor-ds18b20'), node-red-contrib-ds18b20-sensor ('rpi-ds18b20'), @flespi/node-red-flespi (the rest).
 */
const TAKEN_ELSEWHERE = ['ds18b20', 'sensor-ds18b20', 'rpi-ds18b20', 'flespi-server', 'stream-device', 'create-device'];
const CORE_NODES = path.join(PACKAGE_ROOT, 'node_modules', '@node-red', 'nodes');

function coreTypeNames(): Set<string> {
  const names = new Set<string>();
  const walk = (dir: string): void => {
    for (const entry of fs.readdirSync(dir, { withFileTypes: true })) {
      const full = path.join(dir, entry.name);
      if (entry.isDirectory()) walk(full);
      else if (entry.name.endsWith('.html')) {
        for (const d of findEditorDefinitions(fs.readFileSync(full, 'utf8'))) names.add(d.type);
      }
    }
  };
  walk(path.join(CORE_NODES, 'core'));
  return names;
}

function iconExists(folder: string, icon: string): boolean {
  if (icon.startsWith('font-awesome/')) return true;
  return fs.existsSync(path.join(folder, 'icons', icon)) || fs.existsSync(path.join(CORE_NODES, 'icons', icon));
}

describe('package as the Node-RED Flow Library scores it', function () {
  const pkg = readManifest();
  const files = declaredNodeFiles(pkg);

  it('package.json passes the scorecard rules P01, P03-P07 and D01', function () {
    const licenseFileExists = fs.existsSync(path.join(PACKAGE_ROOT, 'LICENSE'));
    assert.deepEqual(manifestProblems(pkg, { licenseFileExists }), []);
  });

  it('has a README, which the Flow Library requires to list a module', function () {
    assert.ok(fs.statSync(path.join(PACKAGE_ROOT, 'README.md')).size > 200, 'README.md is missing or nearly empty');
  });

  it('every node file in package.json exists after the build, with its editor .html beside it', function () {
    assert.ok(files.length > 0, 'package.json "node-red"."nodes" is empty');
    const missing = files.flatMap((f) => [f.js, f.html].filter((p) => !fs.existsSync(p)).map((p) => path.relative(PACKAGE_ROOT, p)));
    assert.deepEqual(missing, [], 'run `npm run build` first; these files are missing');
  });

  it('each editor .html registers its types with a literal name and literal category, color, icon, inputs, outputs', function () {
    for (const file of files) {
      assert.ok(fs.existsSync(file.html), `${path.relative(PACKAGE_ROOT, file.html)} is missing`);
      const types = registeredTypes([file]);
      assert.ok(types.length > 0, `${path.relative(PACKAGE_ROOT, file.html)} has no literal RED.nodes.registerType('<type>', {...})`);
      for (const type of types) {
        assert.deepEqual(type.problems, [], `${type.type} in ${path.relative(PACKAGE_ROOT, file.html)}`);
        if (type.literals.category !== 'config') {
          for (const name of ['color', 'icon', 'inputs', 'outputs'] as const) {
            assert.ok(name in type.literals, `${type.type}: ${name} must be a literal`);
          }
        }
      }
    }
  });

  it('every flow node sits in the one palette category "flespi ESP8266"', function () {
    const categories = registeredTypes()
      .filter((t) => t.literals.category !== 'config')
      .map((t) => `${t.type}: ${String(t.literals.category)}`);
    assert.ok(categories.length > 0, 'no flow node is registered');
    assert.deepEqual(
      categories.filter((c) => !c.endsWith(': flespi ESP8266')),
      [],
    );
  });

  it('every registered type has an edit dialog, help text and an en-US message catalog', function () {
    for (const type of registeredTypes()) {
      assert.ok(type.hasEditTemplate, `${type.type}: no <script type="text/html" data-template-name="${type.type}">`);
      assert.ok(type.help && type.help.replace(/<[^>]+>/g, '').trim().length > 40, `${type.type}: no help text (data-help-name)`);
      const catalog = path.join(type.file.folder, 'locales', 'en-US', `${type.file.basename}.json`);
      assert.ok(fs.existsSync(catalog), `${type.type}: ${path.relative(PACKAGE_ROOT, catalog)} is missing`);
      const messages: unknown = JSON.parse(fs.readFileSync(catalog, 'utf8'));
      assert.ok(messages && typeof messages === 'object' && Object.keys(messages).length > 0, `${type.type}: empty message catalog`);
    }
  });

  it('every icon a definition names exists beside the node file (or is a Node-RED icon)', function () {
    for (const type of registeredTypes()) {
      const icon = type.literals.icon;
      if (icon === undefined) continue;
      assert.ok(typeof icon === 'string' && iconExists(type.file.folder, icon), `${type.type}: icon ${String(icon)} not found`);
    }
  });

  it('flow nodes use icons of this package, one distinct icon per type', function () {
    const flowTypes = registeredTypes().filter((t) => t.literals.category !== 'config');
    const packageIcons = new Set(fs.readdirSync(path.join(PACKAGE_ROOT, 'icons')));
    for (const type of flowTypes) {
      assert.ok(packageIcons.has(String(type.literals.icon)), `${type.type}: icon ${String(type.literals.icon)} is not in icons/`);
    }
    const icons = flowTypes.map((t) => t.literals.icon);
    assert.equal(new Set(icons).size, icons.length, `two flow nodes share an icon: ${icons.join(', ')}`);
  });

  it('type names are unique: registered once, not used by Node-RED core or by related packages', function () {
    const names = registeredTypes().map((t) => t.type);
    assert.equal(new Set(names).size, names.length, `a type is registered twice: ${names.join(', ')}`);
    const core = coreTypeNames();
    assert.ok(core.has('mqtt out'), 'could not read the Node-RED core node types');
    assert.deepEqual(
      names.filter((n) => core.has(n) || TAKEN_ELSEWHERE.includes(n)),
      [],
    );
  });

  it('every example is a JSON array of nodes with unique ids', function () {
    const examples = exampleFlows();
    assert.ok(examples.length >= 3, `expected at least 3 examples, found ${examples.length}`);
    for (const example of examples) {
      const ids = example.nodes.map((n) => n.id);
      assert.ok(
        ids.every((id) => typeof id === 'string' && id.length > 0),
        `${example.label}: a node has no id`,
      );
      assert.equal(new Set(ids).size, ids.length, `${example.label}: duplicate node ids`);
      assert.ok(
        example.nodes.every((n) => typeof n.type === 'string'),
        `${example.label}: a node has no type`,
      );
    }
  });

  it('examples use every non-config node type of the package', function () {
    const used = new Set(exampleFlows().flatMap((e) => e.nodes.map((n) => n.type)));
    const flowTypes = registeredTypes()
      .filter((t) => t.literals.category !== 'config')
      .map((t) => t.type);
    assert.ok(flowTypes.length > 0, 'no flow node is registered');
    assert.deepEqual(
      flowTypes.filter((t) => !used.has(t)),
      [],
      'types no example uses',
    );
  });

  it('example nodes of this package carry exactly the properties their editor defines', function () {
    // Keys every node may have whatever its type: identity, position, group, wiring, disabled flag.
    const common = new Set(['id', 'type', 'z', 'g', 'x', 'y', 'w', 'h', 'wires', 'd']);
    const defaultsByType = new Map(registeredTypes().map((t) => [t.type, t.defaults]));
    assert.ok(defaultsByType.size > 0, 'no node type is registered');
    for (const example of exampleFlows()) {
      for (const node of example.nodes) {
        const defaults = defaultsByType.get(String(node.type));
        if (!defaults) continue;
        const keys = Object.keys(node).filter((k) => !common.has(k));
        const where = `${example.label}: ${String(node.type)} ${String(node.id)}`;
        assert.deepEqual(
          keys.filter((k) => !defaults.includes(k)),
          [],
          `${where} has properties its editor does not define`,
        );
        assert.deepEqual(
          defaults.filter((k) => !keys.includes(k)),
          [],
          `${where} lacks properties`,
        );
      }
    }
  });

  it('examples wire only to nodes of the same example and reference config nodes that it contains', function () {
    for (const example of exampleFlows()) {
      const ids = new Set(example.nodes.map((n) => n.id));
      for (const node of example.nodes) {
        const wires = (node.wires ?? []) as string[][];
        for (const target of wires.flat()) assert.ok(ids.has(target), `${example.label}: ${String(node.id)} wires to missing ${target}`);
        for (const key of ['device', 'broker', 'group', 'page', 'ui']) {
          const ref = node[key];
          if (typeof ref === 'string' && ref !== '')
            assert.ok(ids.has(ref), `${example.label}: ${String(node.id)}.${key} → missing ${ref}`);
        }
      }
    }
  });
});
