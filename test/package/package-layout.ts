// Where the built package keeps each node's files, read the way the Node-RED runtime finds them:
// the editor .html, icons/ and locales/ sit beside the .js named in package.json "node-red"."nodes".
import * as fs from 'fs';
import * as path from 'path';
import { EditorDefinition, findEditorDefinitions, findEditTemplates, findHelpTexts } from './editor-definitions';
import { PackageManifest } from './manifest-checks';

export const PACKAGE_ROOT = path.resolve(__dirname, '..', '..', '..');

export function readManifest(): PackageManifest {
  return JSON.parse(fs.readFileSync(path.join(PACKAGE_ROOT, 'package.json'), 'utf8')) as PackageManifest;
}

export interface NodeFile {
  /** The key in package.json "node-red"."nodes". */
  setName: string;
  js: string;
  html: string;
  folder: string;
  /** File name without extension: the name of its locale catalog. */
  basename: string;
}

export function declaredNodeFiles(pkg: PackageManifest = readManifest()): NodeFile[] {
  return Object.entries(pkg['node-red']?.nodes ?? {}).map(([setName, file]) => {
    const js = path.join(PACKAGE_ROOT, file);
    return {
      setName,
      js,
      html: js.replace(/\.c?js$/, '.html'),
      folder: path.dirname(js),
      basename: path.basename(js).replace(/\.c?js$/, ''),
    };
  });
}

export interface RegisteredType extends EditorDefinition {
  file: NodeFile;
  help: string | undefined;
  hasEditTemplate: boolean;
}

/** Every type the package's editor files register, with its help text (inline or from locales/en-US). */
export function registeredTypes(files: NodeFile[] = declaredNodeFiles()): RegisteredType[] {
  const types: RegisteredType[] = [];
  for (const file of files) {
    if (!fs.existsSync(file.html)) continue;
    const html = fs.readFileSync(file.html, 'utf8');
    const help = findHelpTexts(html);
    const localeHelp = path.join(file.folder, 'locales', 'en-US', `${file.basename}.html`);
    if (fs.existsSync(localeHelp)) {
      for (const [type, text] of findHelpTexts(fs.readFileSync(localeHelp, 'utf8'))) help.set(type, text);
    }
    const templates = findEditTemplates(html);
    for (const definition of findEditorDefinitions(html)) {
      types.push({ ...definition, file, help: help.get(definition.type), hasEditTemplate: templates.has(definition.type) });
    }
  }
  return types;
}

export interface ExampleFlow {
  label: string;
  file: string;
  nodes: Array<Record<string, unknown>>;
}

/** Example flows as Node-RED lists them: every .json under examples/, the file name being the menu label. */
export function exampleFlows(): ExampleFlow[] {
  const root = path.join(PACKAGE_ROOT, 'examples');
  if (!fs.existsSync(root)) return [];
  const found: ExampleFlow[] = [];
  const walk = (dir: string): void => {
    for (const entry of fs.readdirSync(dir, { withFileTypes: true })) {
      const full = path.join(dir, entry.name);
      if (entry.isDirectory()) walk(full);
      else if (entry.name.endsWith('.json')) {
        const parsed: unknown = JSON.parse(fs.readFileSync(full, 'utf8'));
        if (!Array.isArray(parsed)) throw new Error(`${path.relative(PACKAGE_ROOT, full)} is not a JSON array of nodes`);
        found.push({ label: entry.name.replace(/\.json$/, ''), file: full, nodes: parsed as Array<Record<string, unknown>> });
      }
    }
  };
  walk(root);
  return found.sort((a, b) => a.label.localeCompare(b.label));
}
