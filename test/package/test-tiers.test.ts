// `npm run test:unit` leaves out the test files scripts/test-tiers.js names. A new test file that starts
// a browser, QEMU or a Node-RED process must be named there too, or the quick tier stops being quick; a name that matches no
// file any more leaves the tier's promise unchecked.
import { strict as assert } from 'assert';
import fs from 'node:fs';
import path from 'node:path';
import { PACKAGE_ROOT } from './package-layout';

interface TestTiers {
  OUTSIDE_UNIT: Record<string, string[]>;
  inUnitTier(file: string): boolean;
}
// eslint-disable-next-line @typescript-eslint/no-require-imports -- the tier list is a plain script that run-tests.js loads; this reads the same file
const tiers = require(path.join(PACKAGE_ROOT, 'scripts', 'test-tiers.js')) as TestTiers;
const TEST_ROOT = path.join(PACKAGE_ROOT, 'test');

function sources(dir: string): string[] {
  return fs.readdirSync(dir, { withFileTypes: true }).flatMap((entry) => {
    const full = path.join(dir, entry.name);
    if (entry.isDirectory()) return sources(full);
    return entry.name.endsWith('.ts') ? [full] : [];
  });
}

/** The compiled path run-tests.js sees for a test source. */
const compiled = (source: string): string => path.join(PACKAGE_ROOT, 'dist', path.relative(PACKAGE_ROOT, source)).replace(/\.ts$/, '.js');

/** The test sources `source` imports by relative path, and theirs, and so on. */
function localImports(source: string, seen = new Set<string>()): Set<string> {
  for (const match of fs.readFileSync(source, 'utf8').matchAll(/from '(\.[^']+)'/g)) {
    const target = path.resolve(path.dirname(source), `${match[1]}.ts`);
    if (target.startsWith(TEST_ROOT) && fs.existsSync(target) && !seen.has(target)) {
      seen.add(target);
      localImports(target, seen);
    }
  }
  return seen;
}

describe('test tiers', () => {
  const testFiles = sources(TEST_ROOT).filter((file) => file.endsWith('.test.ts'));

  it('leaves out of the unit tier every test file that drives a browser, runs QEMU or starts Node-RED', () => {
    const reaches = (file: string, pattern: RegExp) => [file, ...localImports(file)].some((f) => pattern.test(fs.readFileSync(f, 'utf8')));
    const slow = (file: string) =>
      reaches(file, /from 'playwright-core'/) ||
      /runUnderQemu|qemuArgs|qemu-system/.test(fs.readFileSync(file, 'utf8')) ||
      /support\/node-red-process'/.test(fs.readFileSync(file, 'utf8'));
    const missed = testFiles.filter((file) => slow(file) && tiers.inUnitTier(compiled(file)));
    assert.deepEqual(
      missed.map((file) => path.relative(PACKAGE_ROOT, file)),
      [],
    );
  });

  it('names only files that exist, and keeps the quick tests in the unit tier', () => {
    const stale = Object.values(tiers.OUTSIDE_UNIT)
      .flat()
      .filter((fragment) => !testFiles.some((file) => compiled(file).includes(fragment)));
    assert.deepEqual(stale, []);
    assert.ok(tiers.inUnitTier(compiled(path.join(TEST_ROOT, 'src', 'hex.test.ts'))));
    assert.ok(!tiers.inUnitTier(compiled(path.join(TEST_ROOT, 'e2e', 'editor.test.ts'))));
  });
});
