// `npm run lint` ends with dpdm and the repository's dpdm.config.cts: an import cycle in src/ or nodes/,
// type-only ones included, fails it; the LX106 core naming its `Cpu` is the one exception.
import { strict as assert } from 'assert';
import { spawnSync } from 'node:child_process';
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';

const ROOT = path.resolve(__dirname, '..', '..', '..');
const DPDM = path.join(ROOT, 'node_modules', 'dpdm', 'lib', 'bin', 'dpdm.js');
const CONFIG = path.join(ROOT, 'dpdm.config.cts');

/** Runs the repository's cycle check over a tree of the given files. */
function checkCycles(files: Record<string, string>): { status: number | null; output: string } {
  const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'import-cycles-'));
  try {
    for (const [name, text] of Object.entries(files)) {
      fs.mkdirSync(path.dirname(path.join(dir, name)), { recursive: true });
      fs.writeFileSync(path.join(dir, name), text);
    }
    const run = spawnSync(process.execPath, [DPDM, '--config', CONFIG, '--cwd', dir], {
      cwd: dir,
      encoding: 'utf8',
      env: { ...process.env, FORCE_COLOR: '0' },
    });
    return { status: run.status, output: `${run.stdout}${run.stderr}` };
  } finally {
    fs.rmSync(dir, { recursive: true, force: true });
  }
}

describe('import cycle check', () => {
  before(function () {
    if (!fs.existsSync(DPDM)) assert.fail('dpdm is missing: npm ci');
  });

  it('fails on a cycle made of type-only imports and names its files', () => {
    const { status, output } = checkCycles({
      'src/store/record.ts': "import type { Connection } from '../connection';\nexport interface Record { owner: Connection }\n",
      'src/connection.ts': "import type { Record } from './store/record';\nexport interface Connection { last: Record }\n",
    });
    assert.equal(status, 1, output);
    assert.match(output, /src\/store\/record\.ts -> src\/connection\.ts|src\/connection\.ts -> src\/store\/record\.ts/);
  });

  it('fails on a cycle in nodes/', () => {
    const { status, output } = checkCycles({
      'nodes/a.ts': "import { b } from './b';\nexport const a = () => b;\n",
      'nodes/b.ts': "import { a } from './a';\nexport const b = () => a;\n",
    });
    assert.equal(status, 1, output);
  });

  it('passes the LX106 core parts that name the Cpu cpu.ts wires them into', () => {
    const { status, output } = checkCycles({
      'src/sim/cpu/cpu.ts': "import { step } from './isa/branches';\nexport class Cpu { run() { step(this); } }\n",
      'src/sim/cpu/isa/branches.ts': "import type { Cpu } from '../cpu';\nexport function step(_cpu: Cpu): void {}\n",
    });
    assert.equal(status, 0, output);
  });
});
