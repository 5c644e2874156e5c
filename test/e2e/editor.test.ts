// The editor as a person meets it, in Debian's chromium: the palette, each node's edit dialog,
// and every example flow. The node types come from the package itself, so the suite grows with it.
import { strict as assert } from 'assert';
import * as fs from 'fs';
import { Browser, Page } from 'playwright-core';
import { declaredNodeFiles, exampleFlows, readManifest, registeredTypes } from '../package/package-layout';
import { installedModule } from './support/admin-api';
import { launchChromium } from './support/browser';
import { dragOntoCanvas, importExample, openEditDialog, openEditor, paletteCategoryOf, paletteNode, saveEditDialog } from './support/editor';
import { NodeRedProcess, startNodeRed } from './support/node-red-process';

declare const RED: any; // the editor's global, only touched inside page.evaluate

const PALETTE_CATEGORY = 'flespi ESP8266';
/** Types an example may use that this package does not provide (the dashboard example's widgets). */
const OTHER_PACKAGES_TYPE = /^ui-/;

function describeLoadError(err: unknown): string {
  if (err === undefined || err === null) return 'disabled or registers no type';
  if (typeof err === 'string') return err;
  const { message, code } = err as { message?: string; code?: string };
  return message ?? code ?? JSON.stringify(err);
}

describe('editor in a browser', function () {
  this.timeout(60000);
  const moduleName = readManifest().name ?? '';
  const types = registeredTypes();
  const flowTypes = types.filter((t) => t.literals.category !== 'config').map((t) => t.type);
  let nodeRed: NodeRedProcess;
  let browser: Browser;
  let page: Page;

  before(async function () {
    browser = await launchChromium();
    nodeRed = await startNodeRed();
  });

  after(async function () {
    await browser?.close();
    await nodeRed?.stop();
    if (nodeRed) fs.rmSync(nodeRed.userDir, { recursive: true, force: true });
  });

  beforeEach(async function () {
    // A fresh page per test: the editor starts from the deployed (empty) flows every time.
    page = await browser.newPage({ viewport: { width: 1400, height: 900 } });
    await openEditor(page, nodeRed.baseUrl);
  });

  afterEach(async function () {
    await page?.close();
  });

  it('Node-RED loads every node file of the package without an error', async function () {
    const loaded = await installedModule(nodeRed.baseUrl, moduleName);
    const declared = declaredNodeFiles().map((f) => f.setName).sort();
    assert.deepEqual(loaded.nodes.map((n) => n.name).sort(), declared);
    const failures = loaded.nodes.filter((n) => !n.enabled || n.err || n.types.length === 0).map((n) => `${n.name}: ${describeLoadError(n.err)}`);
    assert.deepEqual(failures, []);
  });

  it(`the palette shows every flow node of the package under "${PALETTE_CATEGORY}"`, async function () {
    assert.ok(flowTypes.length > 0, 'the package registers no flow node');
    for (const type of flowTypes) {
      await paletteNode(page, type).waitFor({ state: 'attached', timeout: 5000 });
      assert.equal(await paletteCategoryOf(page, type), PALETTE_CATEGORY, `${type} palette category`);
      const iconUrl = await paletteNode(page, type).locator('.red-ui-palette-icon').evaluate((el) => getComputedStyle(el).backgroundImage);
      assert.match(iconUrl, new RegExp(`icons/${moduleName.replace('/', '\\/')}/`), `${type} shows an icon of this package`);
    }
  });

  it('each flow node can be dragged onto the canvas, edited, and saved with new config nodes', async function () {
    assert.ok(flowTypes.length > 0, 'the package registers no flow node');
    let x = 200;
    for (const type of flowTypes) {
      const id = await dragOntoCanvas(page, type, x, 120 + (x % 300));
      x += 150;
      await openEditDialog(page, id);
      const configProperties = await page.evaluate((t) => {
        const defaults = RED.nodes.getType(t).defaults as Record<string, { type?: string }>;
        return Object.entries(defaults)
          .filter(([, d]) => d.type && RED.nodes.getType(d.type)?.category === 'config')
          .map(([name, d]) => ({ name, type: d.type as string }));
      }, type);
      for (const property of configProperties) {
        // The "+" beside a config field opens the config node's own dialog; Add saves it.
        await page.locator(`#node-input-btn-${property.name}-add`).click();
        await page.locator('#node-config-dialog-ok').click();
        await page.locator('#node-config-dialog-ok').waitFor({ state: 'detached' });
      }
      await page.fill('#node-input-name', `e2e ${type}`);
      await saveEditDialog(page);
      const saved = await page.evaluate(
        ({ nodeId, props }) => {
          const node = RED.nodes.node(nodeId);
          return { name: node.name, configTypes: props.map((p: { name: string }) => RED.nodes.node(node[p.name])?.type ?? null) };
        },
        { nodeId: id, props: configProperties },
      );
      assert.equal(saved.name, `e2e ${type}`, `${type}: the name typed in the dialog was saved`);
      assert.deepEqual(saved.configTypes, configProperties.map((p) => p.type), `${type}: config nodes were created and selected`);
    }
  });

  for (const example of exampleFlows()) {
    it(`Import > Examples > "${example.label}" brings in every node with its own type`, async function () {
      const ids = await importExample(page, moduleName, example.label);
      assert.equal(ids.length, example.nodes.length, 'every node of the example was imported');
      const unknown: string[] = await page.evaluate(
        (imported) => imported.map((id) => RED.nodes.node(id)).filter((n) => n.type === 'unknown').map((n) => n._orig?.type ?? n.name),
        ids,
      );
      assert.deepEqual(unknown.filter((t) => !OTHER_PACKAGES_TYPE.test(t)), [], 'types the editor did not recognise');
    });
  }
});
