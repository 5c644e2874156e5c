// Reads node definitions out of an editor .html file the way the Node-RED Flow Library does:
// it never runs the editor code, it regex-extracts every <script type="text/javascript"> block,
// parses it with acorn and looks for `<anything>.registerType('<literal>', { ...literal object })`.
// (Behaviour described by node-red-dev-cli src/libs/checknodes.js and flow-library lib/modules.js.)
import * as acorn from 'acorn';

/** The properties the Flow Library reads from a definition; each must be written as a literal. */
export const LITERAL_PROPERTIES = ['category', 'color', 'icon', 'inputs', 'outputs'] as const;
type LiteralProperty = (typeof LITERAL_PROPERTIES)[number];

export interface EditorDefinition {
  type: string;
  /** Literal values found; a property missing here was absent or not a literal. */
  literals: Partial<Record<LiteralProperty, string | number | boolean | null>>;
  /** Names of the properties under `defaults` and `credentials` (both must be inline objects). */
  defaults: string[];
  credentials: string[];
  problems: string[];
}

type AstNode = acorn.Node & Record<string, unknown>;

const SCRIPT_TAG = /<script\b([^>]*)>([\s\S]*?)<\/script>/gi;
const ATTRIBUTE = /([\w-]+)\s*=\s*(?:"([^"]*)"|'([^']*)')/g;

interface ScriptBlock {
  attributes: Map<string, string>;
  body: string;
}

function scriptBlocks(html: string): ScriptBlock[] {
  return [...html.matchAll(SCRIPT_TAG)].map((tag) => ({
    attributes: new Map([...tag[1].matchAll(ATTRIBUTE)].map((a) => [a[1].toLowerCase(), a[2] ?? a[3]])),
    body: tag[2],
  }));
}

export function javascriptBlocks(html: string): string[] {
  return scriptBlocks(html)
    .filter((b) => b.attributes.get('type') === 'text/javascript')
    .map((b) => b.body);
}

export function findEditorDefinitions(html: string): EditorDefinition[] {
  const definitions: EditorDefinition[] = [];
  for (const block of javascriptBlocks(html)) {
    const program = acorn.parse(block, { ecmaVersion: 'latest', sourceType: 'script' });
    visit(program as unknown as AstNode, (node) => {
      const definition = definitionFromCall(node);
      if (definition) definitions.push(definition);
    });
  }
  return definitions;
}

function visit(node: AstNode, onNode: (node: AstNode) => void): void {
  onNode(node);
  for (const value of Object.values(node)) {
    const children = Array.isArray(value) ? value : [value];
    for (const child of children) {
      if (child && typeof child === 'object' && typeof (child as AstNode).type === 'string') visit(child as AstNode, onNode);
    }
  }
}

function definitionFromCall(node: AstNode): EditorDefinition | undefined {
  if (node.type !== 'CallExpression') return undefined;
  const callee = node.callee as AstNode;
  if (callee.type !== 'MemberExpression' || propertyName(callee.property as AstNode) !== 'registerType') return undefined;
  const [typeArg, definitionArg] = node.arguments as AstNode[];
  if (!typeArg || typeArg.type !== 'Literal' || typeof typeArg.value !== 'string') {
    return { type: '', literals: {}, defaults: [], credentials: [], problems: ['registerType called with a non-literal type name'] };
  }
  const definition: EditorDefinition = { type: typeArg.value, literals: {}, defaults: [], credentials: [], problems: [] };
  if (!definitionArg || definitionArg.type !== 'ObjectExpression') {
    definition.problems.push(`${definition.type}: the definition is not an inline object`);
    return definition;
  }
  for (const property of definitionArg.properties as AstNode[]) {
    if (property.type !== 'Property') continue;
    const name = propertyName(property.key as AstNode);
    const value = property.value as AstNode;
    if ((LITERAL_PROPERTIES as readonly string[]).includes(name)) {
      if (value.type === 'Literal') definition.literals[name as LiteralProperty] = value.value as string | number | boolean | null;
      else definition.problems.push(`${definition.type}: ${name} is not a literal`);
    } else if (name === 'defaults' || name === 'credentials') {
      if (value.type !== 'ObjectExpression') definition.problems.push(`${definition.type}: ${name} is not an inline object`);
      else definition[name] = (value.properties as AstNode[]).map((p) => propertyName(p.key as AstNode));
    }
  }
  // Without a category the editor lists the type nowhere; color and the rest may be left out (config nodes).
  if (!('category' in definition.literals)) definition.problems.push(`${definition.type}: category is missing or not a literal`);
  return definition;
}

function propertyName(key: AstNode | undefined): string {
  if (!key) return '';
  if (key.type === 'Identifier') return String(key.name);
  if (key.type === 'Literal') return String(key.value);
  return '';
}

/** Help text per type, from `<script type="text/html|text/markdown" data-help-name="...">` blocks. */
export function findHelpTexts(html: string): Map<string, string> {
  const help = new Map<string, string>();
  for (const block of scriptBlocks(html)) {
    const type = block.attributes.get('data-help-name');
    if (type) help.set(type, block.body.trim());
  }
  return help;
}

/** Types that have an edit dialog template (`data-template-name`). */
export function findEditTemplates(html: string): Set<string> {
  return new Set(
    scriptBlocks(html)
      .map((b) => b.attributes.get('data-template-name'))
      .filter((t): t is string => !!t),
  );
}
