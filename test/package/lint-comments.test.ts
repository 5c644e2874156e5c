// ESLint runs with the test command (`npm run lint`, called by scripts/test.sh); a rule switched off in
// one place must say why there, so a reader never meets a bare `eslint-disable`.
import { strict as assert } from 'assert';
import fs from 'node:fs';
import path from 'node:path';

const ROOT = path.resolve(__dirname, '..', '..', '..');
const SOURCE_DIRS = ['src', 'nodes', 'test', 'bench', 'scripts'];

function sources(dir: string): string[] {
  return fs.readdirSync(dir, { withFileTypes: true }).flatMap((entry) => {
    const full = path.join(dir, entry.name);
    if (entry.isDirectory()) return sources(full);
    return /\.(ts|js|mjs|html)$/.test(entry.name) ? [full] : [];
  });
}

describe('lint comments', () => {
  it('every eslint-disable comment names its rules and gives a reason after "--" on the same line', () => {
    const bare: string[] = [];
    const files = [...SOURCE_DIRS.flatMap((d) => sources(path.join(ROOT, d))), path.join(ROOT, 'eslint.config.mjs')];
    for (const file of files) {
      fs.readFileSync(file, 'utf8')
        .split('\n')
        .forEach((line, index) => {
          const directive = /(?:\/\/|\/\*)\s*eslint-disable(?:-next-line|-line)?\b(.*)$/.exec(line);
          if (!directive) return;
          if (!/^\s+[@\w/-]+(?:\s*,\s*[@\w/-]+)*\s+--\s+\S/.test(directive[1]))
            bare.push(`${path.relative(ROOT, file)}:${index + 1}: ${line.trim()}`);
        });
    }
    assert.deepEqual(bare, []);
  });
});
