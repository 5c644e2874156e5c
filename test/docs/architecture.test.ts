// The documents a reader opens first must not send them anywhere that is not there: docs/ARCHITECTURE.md
// has one heading per folder of src/ (named by its path, e.g. "### src/flespi/store") and none for a
// folder that is gone, and every relative link in the README, CONTRIBUTING.md and docs/ leads to a file
// that exists (and, for a link into a Markdown file, to a heading that exists there).
import { strict as assert } from 'assert';
import fs from 'node:fs';
import path from 'node:path';

const ROOT = path.resolve(__dirname, '..', '..', '..');
const ARCHITECTURE = path.join(ROOT, 'docs', 'ARCHITECTURE.md');

/** `src` and every folder below it, as repository paths with forward slashes. */
function sourceFolders(relative = 'src'): string[] {
  const entries = fs.readdirSync(path.join(ROOT, relative), { withFileTypes: true });
  return [relative, ...entries.filter((e) => e.isDirectory()).flatMap((e) => sourceFolders(`${relative}/${e.name}`))];
}

/** Markdown text without fenced code blocks, whose contents are neither headings nor links. */
function withoutFences(markdown: string): string {
  return markdown.replace(/^(```|~~~)[^\n]*\n[\s\S]*?^\1[^\n]*$/gm, '');
}

function headings(markdown: string): string[] {
  return [...withoutFences(markdown).matchAll(/^#{1,6}[ \t]+(.+?)[ \t]*#*[ \t]*$/gm)].map((m) => m[1]);
}

/** The headings that name a folder of src/: the heading's whole text, backticks aside, starts with "src". */
function folderHeadings(markdown: string): string[] {
  return headings(markdown)
    .map((h) => h.replace(/`/g, '').trim())
    .filter((h) => /^src(\/|$|\s)/.test(h));
}

/** The anchor GitHub gives a heading: lower case, punctuation dropped, spaces as hyphens. */
function slug(heading: string): string {
  return heading
    .toLowerCase()
    .replace(/[^\p{L}\p{N}\s_-]/gu, '')
    .replace(/\s/g, '-');
}

function anchors(markdown: string): Set<string> {
  const seen = new Map<string, number>();
  const found = new Set<string>();
  for (const heading of headings(markdown)) {
    const base = slug(heading.replace(/\[([^\]]*)\]\([^)]*\)/g, '$1'));
    const count = seen.get(base) ?? 0;
    seen.set(base, count + 1);
    found.add(count === 0 ? base : `${base}-${count}`);
  }
  return found;
}

function links(markdown: string): string[] {
  const prose = withoutFences(markdown).replace(/`[^`\n]*`/g, '');
  return [...prose.matchAll(/!?\[[^\]]*\]\(\s*<?([^)\s>]+)>?(?:\s+"[^"]*")?\s*\)/g)].map((m) => m[1]);
}

function documents(): string[] {
  const docs = fs
    .readdirSync(path.join(ROOT, 'docs'))
    .filter((name) => name.endsWith('.md'))
    .map((name) => path.join('docs', name));
  return ['README.md', 'CONTRIBUTING.md', ...docs];
}

describe('docs/ARCHITECTURE.md', () => {
  const markdown = fs.readFileSync(ARCHITECTURE, 'utf8');

  it('has a heading for every folder under src/', () => {
    const named = new Set(folderHeadings(markdown));
    assert.deepEqual(
      sourceFolders().filter((folder) => !named.has(folder)),
      [],
    );
  });

  it('names in its headings only folders of src/ that exist, each once', () => {
    const folders = new Set(sourceFolders());
    const named = folderHeadings(markdown);
    assert.deepEqual(
      named.filter((heading) => !folders.has(heading)),
      [],
    );
    assert.deepEqual(
      named.filter((heading, index) => named.indexOf(heading) !== index),
      [],
    );
  });
});

describe('links in the documents', () => {
  for (const document of documents()) {
    it(`${document}: every relative link leads to a file that exists, and to a heading that exists there`, () => {
      const broken: string[] = [];
      const text = fs.readFileSync(path.join(ROOT, document), 'utf8');
      for (const link of links(text)) {
        if (/^[a-z][a-z0-9+.-]*:/i.test(link)) continue; // https:, mailto: and the like leave the repository
        const [target, anchor] = link.split('#', 2);
        const file = target === '' ? path.join(ROOT, document) : path.resolve(path.dirname(path.join(ROOT, document)), decodeURI(target));
        if (!file.startsWith(ROOT) || !fs.existsSync(file)) {
          broken.push(`${link}: no such file`);
          continue;
        }
        if (anchor && file.endsWith('.md') && !anchors(fs.readFileSync(file, 'utf8')).has(anchor)) broken.push(`${link}: no such heading`);
      }
      assert.deepEqual(broken, []);
    });
  }

  it('finds the links and headings these checks rely on', () => {
    assert.deepEqual(links('See [a](x.md#b), ![p](i.png) and `[c](no.md)`, not [d](https://e).'), ['x.md#b', 'i.png', 'https://e']);
    assert.deepEqual(
      [...anchors('## Virtual boards (`sim:` ports)\n## Flashing (`npm run bench -- flash`)\n## A\n## A\n')],
      ['virtual-boards-sim-ports', 'flashing-npm-run-bench----flash', 'a', 'a-1'],
    );
    assert.deepEqual(folderHeadings('### src/flespi/store\n### `src/sim`\n## Sources\n```\n# src/x\n```\n'), [
      'src/flespi/store',
      'src/sim',
    ]);
  });
});
