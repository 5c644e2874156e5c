import { strict as assert } from 'assert';
import { execFileSync } from 'child_process';
import * as fs from 'fs';
import * as path from 'path';
import * as semver from 'semver';

const ROOT = path.resolve(__dirname, '../../..');
const manifest = JSON.parse(fs.readFileSync(path.join(ROOT, 'package.json'), 'utf8')) as {
  engines: { node: string };
  dependencies: Record<string, string>;
};

function installedManifest(name: string): { version: string; engines?: { node?: string } } {
  return JSON.parse(fs.readFileSync(path.join(ROOT, 'node_modules', name, 'package.json'), 'utf8'));
}

describe('runtime dependencies', () => {
  it('declares no Node.js that a runtime dependency refuses', () => {
    for (const name of Object.keys(manifest.dependencies)) {
      const theirs = installedManifest(name).engines?.node;
      if (!theirs) continue;
      assert.ok(semver.subset(manifest.engines.node, theirs), `engines.node "${manifest.engines.node}" allows Node.js that ${name} (${theirs}) does not`);
    }
  });

  // The Flow Library's D03: no dependency behind its latest major version (asks the npm registry).
  it('keeps every runtime dependency on its latest major version', () => {
    for (const [name, range] of Object.entries(manifest.dependencies)) {
      const latest = execFileSync('npm', ['view', name, 'dist-tags.latest'], { encoding: 'utf8', timeout: 60_000 }).trim();
      assert.ok(semver.valid(latest), `npm view ${name} answered "${latest}"`);
      assert.ok(semver.satisfies(latest, range) || semver.major(latest) === semver.major(semver.minVersion(range) ?? '0.0.0'),
        `${name} ${range} is behind its latest major version ${latest}`);
    }
  });
});
