import { strict as assert } from 'assert';
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

// Whether each dependency is on its latest major version asks the registry: `npm run check-deps`.
describe('runtime dependencies', () => {
  it('declares no Node.js that a runtime dependency refuses', () => {
    for (const name of Object.keys(manifest.dependencies)) {
      const theirs = installedManifest(name).engines?.node;
      if (!theirs) continue;
      assert.ok(
        semver.subset(manifest.engines.node, theirs),
        `engines.node "${manifest.engines.node}" allows Node.js that ${name} (${theirs}) does not`,
      );
    }
  });
});
