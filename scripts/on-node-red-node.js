'use strict';
// Runs a compiled script on a Node.js that the Node-RED of devDependencies supports:
// `node scripts/on-node-red-node.js [node options] <script> [arguments]`. `npm start` (the demo) and
// `npm run bench` embed that Node-RED; when this Node.js is older than it needs (Node-RED 5 needs
// >= 22.9), the script runs on Node.js 24 from the npm registry instead (scripts/ensure-node.js),
// and says so.
const { spawn } = require('child_process');
const semver = require('semver');
const { ensureNode } = require('./ensure-node');

const FALLBACK_NODE_MAJOR = 24;

const nodeRed = require('node-red/package.json');
let node = process.execPath;
if (!semver.satisfies(process.versions.node, nodeRed.engines.node)) {
  console.log(
    `Node-RED ${nodeRed.version} needs Node.js ${nodeRed.engines.node}; this is ${process.version}, so this runs on Node.js ${FALLBACK_NODE_MAJOR}.`,
  );
  node = ensureNode(FALLBACK_NODE_MAJOR);
}
const child = spawn(node, process.argv.slice(2), { stdio: 'inherit' });
for (const signal of ['SIGINT', 'SIGTERM']) process.on(signal, () => child.kill(signal));
child.on('exit', (code, signal) => process.exit(code ?? (signal ? 1 : 0)));
