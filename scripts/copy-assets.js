'use strict';
// Lays out what Node-RED loads from the package. Node-RED looks for a node's editor .html, locales/
// and icons/ beside the .js file named in package.json, and for icons only there
// (@node-red/registry, localfilesystem.js), so the five node entry files share one folder,
// dist/nodes, with one icons/ and one locales/. Each entry file loads its compiled node from the
// folder tsc wrote it to (dist/nodes/<type>/<type>.js).
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
      copyTree(source, target, keep);
    } else if (keep(entry.name)) {
      fs.mkdirSync(to, { recursive: true });
      fs.copyFileSync(source, target);
    }
  }
}

fs.rmSync(path.join(nodesOut, 'locales'), { recursive: true, force: true });
fs.rmSync(path.join(nodesOut, 'icons'), { recursive: true, force: true });
for (const entry of fs.readdirSync(nodesSrc, { withFileTypes: true })) {
  if (!entry.isDirectory()) continue;
  const type = entry.name;
  const folder = path.join(nodesSrc, type);
  if (!fs.existsSync(path.join(folder, `${type}.ts`))) continue;
  // Builds before this layout put the assets beside the compiled node; Node-RED must not find two.
  for (const stale of [`${type}.html`, 'locales', 'icons']) fs.rmSync(path.join(nodesOut, type, stale), { recursive: true, force: true });
  fs.copyFileSync(path.join(folder, `${type}.html`), path.join(nodesOut, `${type}.html`));
  const locales = path.join(folder, 'locales');
  if (fs.existsSync(locales)) copyTree(locales, path.join(nodesOut, 'locales'), () => true);
  fs.writeFileSync(
    path.join(nodesOut, `${type}.js`),
    `'use strict';\n// Node-RED's entry for the ${type} node; the node itself is compiled to ${type}/${type}.js.\nmodule.exports = require('./${type}/${type}.js');\n`,
  );
}
copyTree(path.join(root, 'icons'), path.join(nodesOut, 'icons'), (name) => name.endsWith('.svg') || name.endsWith('.png'));
