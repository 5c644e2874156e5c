'use strict';
// Node-RED looks for a node's editor .html, icons/ and locales/ beside its .js file,
// so the compiled node folders need the same assets as their sources.
const fs = require('fs');
const path = require('path');

const root = path.resolve(__dirname, '..');
const nodesSrc = path.join(root, 'nodes');
const nodesOut = path.join(root, 'dist', 'nodes');

function copyTree(from, to, keep) {
  for (const entry of fs.readdirSync(from, { withFileTypes: true })) {
    const source = path.join(from, entry.name);
    const target = path.join(to, entry.name);
    if (entry.isDirectory()) {
      copyTree(source, target, () => true);
    } else if (keep(entry.name)) {
      fs.mkdirSync(to, { recursive: true });
      fs.copyFileSync(source, target);
    }
  }
}

for (const entry of fs.readdirSync(nodesSrc, { withFileTypes: true })) {
  if (!entry.isDirectory()) continue;
  copyTree(path.join(nodesSrc, entry.name), path.join(nodesOut, entry.name), (name) => !name.endsWith('.ts'));
  copyTree(path.join(root, 'icons'), path.join(nodesOut, entry.name, 'icons'), (name) => name.endsWith('.svg') || name.endsWith('.png'));
}
