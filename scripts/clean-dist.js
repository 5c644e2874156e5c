'use strict';
// Empties dist/ before a build, so that a module moved or deleted in the sources does not live on as a
// stale compiled file: the test runner would run its old tests and `npm pack` would ship it.
const fs = require('fs');
const path = require('path');

fs.rmSync(path.resolve(__dirname, '..', 'dist'), { recursive: true, force: true });
