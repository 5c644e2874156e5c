'use strict';
// `npm start`: runs the demo (dist/src/demo/start.js) on the Node-RED of devDependencies, the
// current line. When this Node.js is older than that Node-RED needs (Node-RED 5 needs >= 22.9), the
// demo runs on Node.js 24 from the npm registry instead (scripts/ensure-node.js), and says so.
const { spawn } = require('child_process');
const path = require('path');
const semver = require('semver');
const { ensureNode } = require('./ensure-node');

const DEMO = path.resolve(__dirname, '..', 'dist', 'src', 'demo', 'start.js');
const FALLBACK_NODE_MAJOR = 24;

const needs = require('node-red/package.json').engines.node;
let node = process.execPath;
if (!semver.satisfies(process.versions.node, needs)) {
  console.log(`Node-RED ${require('node-red/package.json').version} needs Node.js ${needs}; this is ${process.version}, so the demo runs on Node.js ${FALLBACK_NODE_MAJOR}.`);
  node = ensureNode(FALLBACK_NODE_MAJOR);
}
const demo = spawn(node, [DEMO], { stdio: 'inherit' });
for (const signal of ['SIGINT', 'SIGTERM']) process.on(signal, () => demo.kill(signal));
demo.on('exit', (code, signal) => process.exit(code ?? (signal ? 1 : 0)));
