// The package as `npm pack` makes it from a clean tree: the files git tracks (and new ones it does
// not ignore) are copied to a scratch folder, so no dist/ or other leftover of the working tree can
// slip in, and packed there; `prepack` builds it. One tarball per test process, shared by the
// file-list checks and the install tests.
import { execFile } from 'child_process';
import * as fs from 'fs';
import * as os from 'os';
import * as path from 'path';
import { promisify } from 'util';
import { PACKAGE_ROOT } from './package-layout';

const run = promisify(execFile);

export interface PackedTarball {
  /** The .tgz file. */
  file: string;
  /** Paths inside the package, as npm lists them (package.json, dist/nodes/..., ...). */
  files: string[];
  /** The scratch folder holding the clean tree and the tarball; removed when the process exits. */
  scratch: string;
}

let packing: Promise<PackedTarball> | undefined;

async function trackedFiles(): Promise<string[]> {
  const { stdout } = await run('git', ['ls-files', '-z', '--cached', '--others', '--exclude-standard'], {
    cwd: PACKAGE_ROOT,
    maxBuffer: 64 * 1024 * 1024,
  });
  return stdout.split('\0').filter((file) => file !== '' && fs.existsSync(path.join(PACKAGE_ROOT, file)));
}

async function pack(): Promise<PackedTarball> {
  const scratch = fs.mkdtempSync(path.join(os.tmpdir(), 'packed-'));
  process.once('exit', () => fs.rmSync(scratch, { recursive: true, force: true }));
  const tree = path.join(scratch, 'tree');
  for (const file of await trackedFiles()) {
    fs.mkdirSync(path.dirname(path.join(tree, file)), { recursive: true });
    fs.copyFileSync(path.join(PACKAGE_ROOT, file), path.join(tree, file));
  }
  // The build tools of the working tree (tsc); nothing from node_modules goes into the tarball.
  fs.symlinkSync(path.join(PACKAGE_ROOT, 'node_modules'), path.join(tree, 'node_modules'), 'dir');
  const { stdout } = await run('npm', ['pack', '--json', '--pack-destination', scratch], { cwd: tree, maxBuffer: 64 * 1024 * 1024 });
  // Lifecycle scripts print to stdout before npm's JSON.
  const report = JSON.parse(stdout.slice(stdout.indexOf('\n[') + 1)) as Array<{ filename: string; files: Array<{ path: string }> }>;
  const [entry] = report;
  if (!entry) throw new Error(`npm pack reported nothing:\n${stdout}`);
  return { file: path.join(scratch, path.basename(entry.filename)), files: entry.files.map((f) => f.path).sort(), scratch };
}

/** Packs the clean tree once per process. */
export function packedTarball(): Promise<PackedTarball> {
  packing ??= pack();
  return packing;
}
