'use strict';
// `npm run check-deps`: asks the npm registry whether every runtime dependency is on its latest major
// version, as the Node-RED Flow Library's scorecard does (check D03). Kept out of `npm test` because its
// answer changes whenever a dependency publishes, not when this package changes.
const { execFileSync } = require('child_process');
const path = require('path');
const semver = require('semver');

const manifest = require(path.resolve(__dirname, '..', 'package.json'));
let behind = 0;
for (const [name, range] of Object.entries(manifest.dependencies)) {
  const latest = execFileSync('npm', ['view', name, 'dist-tags.latest'], { encoding: 'utf8', timeout: 60_000 }).trim();
  if (!semver.valid(latest)) throw new Error(`npm view ${name} answered "${latest}"`);
  const current = semver.satisfies(latest, range) || semver.major(latest) === semver.major(semver.minVersion(range) ?? '0.0.0');
  console.log(`${current ? 'ok    ' : 'BEHIND'} ${name} ${range} (latest ${latest})`);
  if (!current) behind += 1;
}
if (behind > 0) {
  console.error(`${behind} runtime dependenc${behind === 1 ? 'y is' : 'ies are'} behind the latest major version`);
  process.exitCode = 1;
}
