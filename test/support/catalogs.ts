// The package's en-US message catalogs as the tests read them. Node-RED's test helper gives nodes a
// `RED._` that returns the bare key; `translatingCatalogs` gives them one that looks the key up and
// fails loudly when it is missing, so node tests see the words a user sees.
import fs from 'node:fs';
import path from 'node:path';
import type { NodeAPI } from 'node-red';

const ROOT = path.resolve(__dirname, '..', '..', '..');
export const NODES_DIR = path.join(ROOT, 'nodes');
const NODE_RED_CATALOG = require.resolve('@node-red/nodes/locales/en-US/messages.json');

type Tree = { [key: string]: string | Tree };

/** Every leaf of a catalog as `dotted.key` → text. */
export function flattenCatalog(tree: Tree, prefix = ''): Map<string, string> {
  const flat = new Map<string, string>();
  for (const [key, value] of Object.entries(tree)) {
    const full = prefix ? `${prefix}.${key}` : key;
    if (typeof value === 'string') flat.set(full, value);
    else for (const [k, v] of flattenCatalog(value, full)) flat.set(k, v);
  }
  return flat;
}

/** Each node folder's en-US catalog, by node folder name. */
export function packageCatalogs(): Map<string, Map<string, string>> {
  const catalogs = new Map<string, Map<string, string>>();
  for (const dir of fs.readdirSync(NODES_DIR)) {
    const file = path.join(NODES_DIR, dir, 'locales', 'en-US', `${dir}.json`);
    if (fs.existsSync(file)) catalogs.set(dir, flattenCatalog(JSON.parse(fs.readFileSync(file, 'utf8')) as Tree));
  }
  return catalogs;
}

/** Node-RED's own catalog, which keys like `node-red:common.status.connected` name. */
export function nodeRedCatalog(): Map<string, string> {
  return flattenCatalog(JSON.parse(fs.readFileSync(NODE_RED_CATALOG, 'utf8')) as Tree);
}

let merged: Map<string, string> | undefined;

/** What Node-RED's runtime `RED._` answers for a key of this package or of `node-red:`. */
export function translate(key: string, params: Record<string, unknown> = {}): string {
  if (!merged) {
    merged = new Map([...nodeRedCatalog()].map(([k, v]) => [`node-red:${k}`, v]));
    for (const catalog of packageCatalogs().values()) for (const [k, v] of catalog) merged.set(k, v);
  }
  const text = merged.get(key);
  if (text === undefined) throw new Error(`the message catalogs have no key "${key}"`);
  return text.replace(/__(\w+)__/g, (whole, name: string) => (name in params ? String(params[name]) : whole));
}

/** A pseudo node module for `helper.load`: put it first, and every node of the load speaks from the catalogs. */
export function translatingCatalogs(red: NodeAPI): void {
  (red as unknown as { _: typeof translate })._ = translate;
}
