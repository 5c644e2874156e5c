// The message catalogs against the code that reads them. Node tests cannot see a missing key when
// Node-RED's test helper answers every key with itself, so this reads the sources: every key the
// runtime and the editors name exists in en-US, and every en-US key is named somewhere.
import { strict as assert } from 'assert';
import fs from 'node:fs';
import path from 'node:path';
import { NODES_DIR, nodeRedCatalog, packageCatalogs } from '../support/catalogs';

/** A key as the code names it: literal, or a template whose `${…}` parts stand for one word each. */
interface KeyUse {
  file: string;
  key: string;
  pattern: RegExp;
}

const FIELD_RULES = path.resolve(NODES_DIR, '..', 'src', 'field-rules.ts');

/** For each exported check of src/field-rules.ts, the rule names (message keys) it can answer. */
function rulesByCheck(): Map<string, string[]> {
  const source = fs.readFileSync(FIELD_RULES, 'utf8');
  const checks = new Map<string, string[]>();
  const calls = new Map<string, string[]>();
  const starts = [...source.matchAll(/^export function (check\w+)/gm)];
  starts.forEach((start, i) => {
    const body = source.slice(start.index, starts[i + 1]?.index ?? source.length);
    const rules = [...body.matchAll(/rule: '(\w+)'|(?:integerIn|decimalIn|shorterThanPath)\('(\w+)'/g)].map((m) => m[1] ?? m[2]);
    checks.set(start[1], rules);
    calls.set(
      start[1],
      [...body.slice(start[0].length).matchAll(/\b(check\w+)\(/g)].map((m) => m[1]),
    );
  });
  // A check that calls another answers that one's rules too (one level: checks do not nest deeper).
  for (const [check, called] of calls) checks.set(check, [...checks.get(check)!, ...called.flatMap((other) => checks.get(other) ?? [])]);
  return checks;
}

/** The `<dir>.errors.<rule>` keys a node folder names by calling field-rule checks (src/field-rules.ts). */
function ruleKeysUsedIn(dir: string, checks: Map<string, string[]>): KeyUse[] {
  const uses: KeyUse[] = [];
  for (const file of sourcesOf(dir)) {
    const text = fs.readFileSync(file, 'utf8');
    for (const [check, rules] of checks) {
      if (!new RegExp(`\\b${check}\\b`).test(text)) continue;
      for (const rule of rules) {
        const key = `${dir}.errors.${rule}`;
        uses.push({ file: `${path.relative(NODES_DIR, file)} (${check})`, key, pattern: patternOf(key) });
      }
    }
  }
  return uses;
}

function sourcesOf(dir: string): string[] {
  return fs
    .readdirSync(path.join(NODES_DIR, dir))
    .filter((name) => name.endsWith('.ts') || name.endsWith('.html'))
    .map((name) => path.join(NODES_DIR, dir, name));
}

function patternOf(key: string): RegExp {
  const parts = key.split(/\$\{[^}]*\}/);
  return new RegExp(`^${parts.map((p) => p.replace(/[.*+?^${}()|[\]\\]/g, '\\$&')).join('[\\w-]+')}$`);
}

/**
 * Keys a node folder's code names: quoted strings that start with a catalog name of this package
 * (`<type>.`) or with `node-red:`, and each key of a `data-i18n` attribute. Permission names
 * (`<type>.read`) and icon files (`<type>.svg`) are not keys.
 */
function keysUsedIn(dir: string, catalogNames: string[]): KeyUse[] {
  const uses: KeyUse[] = [];
  const start = `(?:node-red:|(?:${catalogNames.map((n) => n.replace(/[-]/g, '\\-')).join('|')})\\.)`;
  const quoted = new RegExp(`(['"\`])(${start}[^'"\`\\s]*)\\1( \\+ )?`, 'g');
  for (const file of sourcesOf(dir)) {
    const text = fs.readFileSync(file, 'utf8').replace(/needsPermission\([^)]*\)/g, '');
    const found = new Set<string>();
    for (const match of text.matchAll(/data-i18n="([^"]+)"/g)) {
      for (const part of match[1].split(';')) found.add(part.replace(/^\[[^\]]+\]/, ''));
    }
    for (const match of text.matchAll(quoted)) {
      if (/\.(svg|png)$/.test(match[2])) continue; // an icon file named after its node
      // A string concatenated with a word (`'a.b.' + phase`) names the keys under that prefix.
      found.add(match[3] ? `${match[2]}\${word}` : match[2]);
    }
    for (const key of found) uses.push({ file: path.relative(NODES_DIR, file), key, pattern: patternOf(key) });
  }
  return uses;
}

describe('message catalogs (locales/en-US)', () => {
  const catalogs = packageCatalogs();
  const names = [...catalogs.keys()];
  const nodeRed = [...nodeRedCatalog().keys()].map((k) => `node-red:${k}`);
  const checks = rulesByCheck();
  const usesByDir = new Map(names.map((dir) => [dir, [...keysUsedIn(dir, names), ...ruleKeysUsedIn(dir, checks)]]));

  it('finds the rule names of every check in src/field-rules.ts', () => {
    assert.ok(checks.size > 10, `only ${checks.size} checks found`);
    const silent = [...checks].filter(([, rules]) => rules.length === 0).map(([name]) => name);
    assert.deepEqual(silent, []);
  });

  it('every node folder has a catalog and its code names keys from it', () => {
    const dirs = fs.readdirSync(NODES_DIR).filter((d) => fs.statSync(path.join(NODES_DIR, d)).isDirectory());
    assert.deepEqual(names.sort(), dirs.sort());
    for (const dir of names) assert.ok((usesByDir.get(dir) ?? []).length > 5, `${dir}: hardly any catalog key used`);
  });

  it("every key the runtime and the editors name exists in the node's own catalog or in Node-RED's", () => {
    const missing: string[] = [];
    for (const [dir, uses] of usesByDir) {
      const own = [...(catalogs.get(dir)?.keys() ?? []), ...nodeRed];
      for (const use of uses) {
        if (!own.some((k) => use.pattern.test(k))) missing.push(`${use.file}: ${use.key}`);
      }
    }
    assert.deepEqual(missing, []);
  });

  it('every key of a catalog is named by the code of its node', () => {
    const unused: string[] = [];
    for (const [dir, catalog] of catalogs) {
      const uses = usesByDir.get(dir) ?? [];
      for (const key of catalog.keys()) {
        if (!uses.some((u) => u.pattern.test(key))) unused.push(`${dir}: ${key}`);
      }
    }
    assert.deepEqual(unused, []);
  });

  it('no catalog text holds a half-written __placeholder__', () => {
    // __name__ placeholders must be words; a typo such as __count_ would show raw to the user.
    const broken: string[] = [];
    for (const [dir, catalog] of catalogs) {
      for (const [key, text] of catalog) {
        const stripped = text.replace(/__\w+__/g, '');
        if (stripped.includes('__')) broken.push(`${dir}: ${key}: ${text}`);
      }
    }
    assert.deepEqual(broken, []);
  });
});
