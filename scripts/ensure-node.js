'use strict';
// Prints the path of a Node.js binary of the major version asked for (`node scripts/ensure-node.js 24`).
// The one running this script is used when it is of that major; otherwise the official binary comes
// from the npm registry (package node-<platform>-<arch>, which carries Node's release build) into
// .cache/node/<major>, once. Exported as a function for the start script and the tests.
const { execFileSync } = require('child_process');
const fs = require('fs');
const path = require('path');

const root = path.resolve(__dirname, '..');

function npmCli() {
  // npm's own entry script, so it can run under another Node.js than the one it came with.
  const execPath = process.env.npm_execpath;
  if (execPath && /npm-cli\.js$/.test(execPath)) return execPath;
  for (const dir of (process.env.PATH ?? '').split(path.delimiter)) {
    const candidate = path.join(dir, process.platform === 'win32' ? 'npm.cmd' : 'npm');
    if (!dir || !fs.existsSync(candidate)) continue;
    const target = fs.realpathSync(candidate);
    if (/npm-cli\.js$/.test(target)) return target;
    const beside = path.join(path.dirname(target), '..', 'lib', 'node_modules', 'npm', 'bin', 'npm-cli.js');
    if (fs.existsSync(beside)) return beside;
  }
  throw new Error('npm was not found on PATH');
}

function ensureNode(major) {
  if (!/^\d+$/.test(String(major))) throw new Error(`a Node.js major version is a number, not "${major}"`);
  if (process.versions.node.split('.')[0] === String(major)) return process.execPath;
  const pkg = `node-${process.platform}-${process.arch}`;
  const prefix = path.join(root, '.cache', 'node', String(major));
  const binary = path.join(prefix, 'node_modules', pkg, 'bin', process.platform === 'win32' ? 'node.exe' : 'node');
  if (!fs.existsSync(binary)) {
    fs.mkdirSync(prefix, { recursive: true });
    fs.writeFileSync(path.join(prefix, 'package.json'), '{"private":true}\n');
    process.stderr.write(`Installing Node.js ${major} (${pkg}@${major} from the npm registry) into ${path.relative(root, prefix)}\n`);
    execFileSync(process.execPath, [npmCli(), 'install', '--no-save', '--no-audit', '--no-fund', '--loglevel=error', `${pkg}@${major}`], {
      cwd: prefix,
      stdio: ['ignore', 'ignore', 'inherit'],
    });
  }
  return binary;
}

module.exports = { ensureNode, npmCli };

if (require.main === module) {
  try {
    process.stdout.write(`${ensureNode(process.argv[2] ?? '')}\n`);
  } catch (error) {
    process.stderr.write(`${error.message}\n`);
    process.exit(1);
  }
}
