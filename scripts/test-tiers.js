'use strict';
// The test files `npm run test:unit` leaves out, so it answers in a minute or two while `npm test` (what
// CI runs) still runs everything: the ones that drive a browser, run code under QEMU or build the
// firmware, start Node-RED (or the demo) in a child process, and the package tests that pack and install
// it across the Node.js and Node-RED matrix.
// Entries are fragments of a compiled test file's path (dist/test/...), named by file where the file
// sits among quick ones, so they hold when a folder moves.
const OUTSIDE_UNIT = {
  browser: ['/test/e2e/', '/ds18b20-read/editor.test.js', '/flash-editor.test.js'],
  qemu: [
    '/test/firmware/',
    '/qemu-parity.test.js',
    '/firmware-unit-tests.test.js',
    '/instruction-differential.test.js',
    '/fuzz-differential.test.js',
  ],
  nodeRedProcess: ['/durable-outbox.test.js', '/status-topic.test.js', '/sensor-list-permissions.test.js', '/demo/start.test.js'],
  package: ['/test/package/'],
};

/** Whether the unit tier runs the compiled test file at `file`. */
function inUnitTier(file) {
  const normalised = file.split(require('path').sep).join('/');
  return !Object.values(OUTSIDE_UNIT).some((fragments) => fragments.some((fragment) => normalised.includes(fragment)));
}

module.exports = { OUTSIDE_UNIT, inUnitTier };
