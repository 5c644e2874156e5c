import { strict as assert } from 'assert';
import { PackageManifest, manifestProblems } from './manifest-checks';

const good: PackageManifest = {
  name: '@scope/node-red-probe',
  license: 'Apache-2.0',
  repository: { url: 'https://example.org/probe.git' },
  keywords: ['node-red'],
  engines: { node: '>=18.5' },
  'node-red': { version: '>=4.0.0', nodes: { probe: 'dist/nodes/probe/probe.js' } },
  dependencies: { mqtt: '^5.0.0' },
  files: ['dist/nodes', 'examples'],
};

describe('package.json scorecard rules', function () {
  it('accepts a manifest that follows every rule', function () {
    assert.deepEqual(manifestProblems(good, { licenseFileExists: false }), []);
  });

  it('accepts a LICENSE file in place of the license field', function () {
    assert.deepEqual(manifestProblems({ ...good, license: undefined }, { licenseFileExists: true }), []);
  });

  it('names each broken rule', function () {
    const bad: PackageManifest = {
      name: 'node-red-probe',
      keywords: ['esp8266'],
      engines: { node: '>=24' },
      'node-red': { version: '~4.1.0', nodes: { probe: 'lib/probe.js' } },
      dependencies: Object.fromEntries(['a', 'b', 'c', 'd', 'e', 'f', 'g'].map((n) => [n, '1.0.0'])),
      files: ['dist'],
    };
    assert.deepEqual(manifestProblems(bad, { licenseFileExists: false }), [
      'P01: no license field and no LICENSE file',
      'P03: neither repository nor bugs gives a url',
      'P04: name "node-red-probe" is not scoped (@scope/name), as new packages must be',
      'P05: keywords lack "node-red"',
      'P06: node-red.version "~4.1.0" excludes Node-RED 5.0.7',
      'P06: node-red.version "~4.1.0" excludes Node-RED 4.0.9',
      'node-red.version "~4.1.0" has an upper bound: claim a minimum only',
      'files does not ship lib/probe.js',
      'files does not ship examples/',
      'P07: engines.node ">=24" excludes Node.js 22.9.0',
      'D01: 7 runtime dependencies, more than 6',
    ]);
  });

  it('rejects a node-red.version that the Node-RED 4 releases of the test matrix do not satisfy', function () {
    const problems = manifestProblems({ ...good, 'node-red': { ...good['node-red'], version: '>=5.0.0' } }, { licenseFileExists: true });
    assert.deepEqual(problems, [
      'P06: node-red.version ">=5.0.0" excludes Node-RED 4.1.15',
      'P06: node-red.version ">=5.0.0" excludes Node-RED 4.0.9',
    ]);
  });

  it('rejects an upper bound on Node-RED or Node.js, which would refuse every later release', function () {
    const pinned: PackageManifest = {
      ...good,
      engines: { node: '^20.10.0 || ^22.9.0 || ^24.0.0' },
      'node-red': { ...good['node-red'], version: '>=4.0.0 <5.1.0' },
    };
    assert.deepEqual(manifestProblems(pinned, { licenseFileExists: true }), [
      'node-red.version ">=4.0.0 <5.1.0" has an upper bound: claim a minimum only',
      'engines.node "^20.10.0 || ^22.9.0 || ^24.0.0" has an upper bound: claim a minimum only',
    ]);
  });

  it('accepts a bugs address when there is no repository', function () {
    const problems = manifestProblems({ ...good, repository: undefined, bugs: { email: 'bugs@example.org' } }, { licenseFileExists: true });
    assert.deepEqual(problems, []);
  });
});
