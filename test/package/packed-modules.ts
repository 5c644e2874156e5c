// Loads every .js file of the packed tarball the way a user's Node.js would meet it: the tarball
// installed with its production dependencies only (npm --omit=dev) into a fresh folder outside the
// checkout, and each file required in a fresh process there. Node-RED is not installed: a node file
// exports a function taking RED, so requiring it must not need node-red. A module whose import
// cannot resolve in the package (a file `files` leaves out, a devDependency) fails here by name.
// Files under resources/ are the editor's scripts (Node-RED serves them to the browser): they run
// in a context whose global is a `window`, as in the editor.
import { execFile } from 'child_process';
import * as fs from 'fs';
import * as os from 'os';
import * as path from 'path';
import { promisify } from 'util';
import { npmCli } from '../support/node-binaries';

const run = promisify(execFile);

export interface ModuleLoadFailure {
  file: string;
  error: string;
}

// Requires each file given on the command line (runs each editor script in a window-like context)
// and prints the failures as JSON on the last line.
const LOADER = `
const fs = require('fs');
const vm = require('vm');
const failures = [];
for (const arg of process.argv.slice(1)) {
  const [kind, file] = [arg.slice(0, arg.indexOf(':')), arg.slice(arg.indexOf(':') + 1)];
  try {
    if (kind === 'editor') { const window = {}; vm.runInNewContext(fs.readFileSync(file, 'utf8'), { window }, { filename: file }); }
    else require(file);
  } catch (error) { failures.push({ file, error: String(error && error.message || error).split('\\n')[0] }); }
}
process.stdout.write('\\n' + JSON.stringify(failures) + '\\n');
process.exit(0);
`;

/** Installs `tarball` (production dependencies only) and requires each of `files` (paths inside the package). */
export async function loadPackedModules(tarball: string, packageName: string, files: string[]): Promise<ModuleLoadFailure[]> {
  const prefix = fs.mkdtempSync(path.join(os.tmpdir(), 'packed-load-'));
  try {
    fs.writeFileSync(path.join(prefix, 'package.json'), '{"private":true}\n');
    const env: NodeJS.ProcessEnv = { ...process.env, npm_config_update_notifier: 'false' };
    delete env.NODE_PATH;
    await run(process.execPath, [npmCli(), 'install', '--omit=dev', '--no-save', '--no-audit', '--no-fund', tarball], {
      cwd: prefix,
      env,
      maxBuffer: 64 * 1024 * 1024,
    });
    const installed = path.join(prefix, 'node_modules', ...packageName.split('/'));
    const { stdout } = await run(
      process.execPath,
      ['-e', LOADER, ...files.map((file) => `${file.startsWith('resources/') ? 'editor' : 'node'}:${path.join(installed, file)}`)],
      { cwd: prefix, env, maxBuffer: 64 * 1024 * 1024, timeout: 120_000 },
    );
    const failures = JSON.parse(stdout.trim().split('\n').pop() ?? '[]') as ModuleLoadFailure[];
    return failures.map(({ file, error }) => ({ file: path.relative(installed, file).split(path.sep).join('/'), error }));
  } finally {
    fs.rmSync(prefix, { recursive: true, force: true });
  }
}
