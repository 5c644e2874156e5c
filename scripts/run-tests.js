'use strict';
// Runs every compiled test file with mocha and ends with the one totals line CI reads:
// "N passed, N failed". Pass file name fragments to run a subset: `npm test -- flespi`. With
// `--unit` (`npm run test:unit`) it leaves out the slow tiers listed in test-tiers.js.
// A pending test (it.skip, this.skip(), an `it` without a body) checks nothing, so it counts as
// failed: its title is listed above the totals line and the run fails.
const fs = require('fs');
const path = require('path');
const Mocha = require('mocha');
const { inUnitTier } = require('./test-tiers');

const testRoot = path.resolve(__dirname, '..', 'dist', 'test');
const args = process.argv.slice(2);
const unitOnly = args.includes('--unit');
const filters = args.filter((arg) => arg !== '--unit');
const UNIT_JOBS = 4;

function findTests(dir) {
  const found = [];
  for (const entry of fs.readdirSync(dir, { withFileTypes: true })) {
    const full = path.join(dir, entry.name);
    if (entry.isDirectory()) found.push(...findTests(full));
    else if (entry.name.endsWith('.test.js')) found.push(full);
  }
  return found.sort();
}

// The unit tier's files wait on timers and child processes far more than they compute, so they run
// in parallel worker processes; the full run keeps one process, in file order, as CI has always run it.
const mocha = new Mocha({ timeout: 30000, reporter: 'spec', ...(unitOnly ? { parallel: true, jobs: UNIT_JOBS } : {}) });
const files = findTests(testRoot)
  .filter((f) => filters.length === 0 || filters.some((s) => f.includes(s)))
  .filter((f) => !unitOnly || inUnitTier(f));
for (const file of files) mocha.addFile(file);

let passed = 0;
let failed = 0;
const pending = [];
const runner = mocha.run((failures) => {
  if (pending.length > 0) {
    console.log(`\n${pending.length} pending, counted as failed:`);
    for (const title of pending) console.log(`  - ${title}`);
  }
  console.log(`\n${passed} passed, ${failed + pending.length} failed`);
  process.exitCode = failures > 0 || pending.length > 0 || passed === 0 ? 1 : 0;
  // Sockets or child processes a failing test left behind must not keep CI waiting.
  setTimeout(() => process.exit(process.exitCode), 2000).unref();
});
runner.on('pass', () => {
  passed += 1;
});
runner.on('fail', () => {
  failed += 1;
});
runner.on('pending', (test) => {
  pending.push(test.fullTitle());
});
