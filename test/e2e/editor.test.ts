// The editor as a person meets it, in Debian's chromium: the palette, each node's edit dialog,
// and every example flow. The node types come from the package itself, so the suite grows with it.
import { strict as assert } from 'assert';
import { Browser, Page } from 'playwright-core';
import { declaredNodeFiles, exampleFlows, readManifest, registeredTypes } from '../package/package-layout';
import { installedModule } from './support/admin-api';
import { launchChromium } from './support/browser';
import {
  dragOntoCanvas,
  importExample,
  openEditDialog,
  openEditor,
  paletteCategoryOf,
  paletteNode,
  saveEditDialog,
  untranslatedKeys,
  validity,
} from './support/editor';
import { NodeRedProcess, startNodeRed } from './support/node-red-process';

declare const RED: any; // the editor's globals, only touched inside page.evaluate
declare const $: any;

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
  // Message keys start with a catalog name (the node file's name) or, by habit, the type.
  const catalogNames = [...new Set([...declaredNodeFiles().map((f) => f.basename), ...types.map((t) => t.type)])];
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

  it('each palette entry reads as words (a palette label), not as the bare type name', async function () {
    const bare: string[] = [];
    for (const type of flowTypes) {
      const label = (await paletteNode(page, type).locator('.red-ui-palette-label').innerText()).replace(/\s+/g, ' ').trim();
      if (label.replace(/ /g, '') === type) bare.push(`${type} (add paletteLabel to its registerType)`);
    }
    assert.deepEqual(bare, []);
  });

  it('the Help sidebar shows help for every node type of the package', async function () {
    assert.ok(types.length > 0, 'the package registers no node');
    for (const { type } of types) {
      const help = await page.evaluate((t) => {
        const html = RED.nodes.getNodeHelp(t) ?? '';
        const plain = $('<div>').html(html).text().replace(/\s+/g, ' ').trim();
        RED.sidebar.help.show(t);
        return plain;
      }, type);
      assert.ok(help.length > 40, `${type}: no help text in the editor`);
      // Node-RED 4 has one sidebar content panel (an id), Node-RED 5 a top and a bottom one (a class).
      const shown = (await page.locator('#red-ui-sidebar-content, .red-ui-sidebar-content').allInnerTexts()).join(' ').replace(/\s+/g, ' ');
      assert.ok(shown.includes(help.slice(0, 40)), `${type}: the Help sidebar does not show "${help.slice(0, 40)}"`);
    }
  });

  it('each flow node can be dragged onto the canvas, edited, and saved with new config nodes', async function () {
    assert.ok(flowTypes.length > 0, 'the package registers no flow node');
    let x = 200;
    for (const type of flowTypes) {
      const id = await dragOntoCanvas(page, type, x, 120 + (x % 300));
      x += 150;
      await openEditDialog(page, id);
      assert.deepEqual(await untranslatedKeys(page, catalogNames), [], `${type}: labels missing from the message catalog`);
      const configProperties = await page.evaluate((t) => {
        const defaults = RED.nodes.getType(t).defaults as Record<string, { type?: string }>;
        return Object.entries(defaults)
          .filter(([, d]) => d.type && RED.nodes.getType(d.type)?.category === 'config')
          .map(([name, d]) => ({ name, type: d.type as string }));
      }, type);
      for (const property of configProperties) {
        // The "+" beside a config field opens the config node's own dialog; Add saves it.
        await page.locator(`#node-input-btn-${property.name}-add`).click();
        await page.locator('#node-config-dialog-ok').waitFor({ state: 'visible' });
        assert.deepEqual(await untranslatedKeys(page, catalogNames), [], `${property.type}: labels missing from the message catalog`);
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

  it('fields refuse bad values as they are typed, and accept good ones', async function () {
    // [type, field, bad value, good value] for the validated fields of the contract.
    const cases: Array<[string, string, string, string]> = [
      ['ds18b20-read', 'interval', 'often', '10000'],
      ['flespi-mqtts-out', 'topic', 'sensors/+/temperature', 'sensors/{{ident}}/temperature'],
      ['flespi-mqtts-out', 'topic', 'flespi/state', 'home/boiler'],
    ];
    const configCases: Array<[string, string, string, string, string]> = [
      ['esp8266-flash', 'device', 'baud', 'fast', '115200'],
      ['flespi-mqtts-out', 'broker', 'host', 'mqtt flespi io', 'mqtt.flespi.io'],
      ['flespi-mqtts-out', 'broker', 'port', 'tls', '8883'],
    ];
    const registered = new Set(flowTypes);
    assert.ok([...cases, ...configCases].every(([type]) => registered.has(type)), 'a node type of the contract is missing');
    let placed = 0;
    const nextSpot = (): [number, number] => [150 + (placed % 4) * 150, 300 + Math.floor(placed++ / 4) * 80];
    for (const [type, field, bad, good] of cases) {
      const id = await dragOntoCanvas(page, type, ...nextSpot());
      await openEditDialog(page, id);
      assert.deepEqual(await validity(page, `#node-input-${field}`, [bad, good]), [false, true], `${type}.${field}: "${bad}" then "${good}"`);
      await page.locator('#node-dialog-cancel').click();
      await page.locator('#node-dialog-cancel').waitFor({ state: 'detached' });
    }
    for (const [type, reference, field, bad, good] of configCases) {
      const id = await dragOntoCanvas(page, type, ...nextSpot());
      await openEditDialog(page, id);
      await page.locator(`#node-input-btn-${reference}-add`).click();
      await page.locator('#node-config-dialog-ok').waitFor({ state: 'visible' });
      assert.deepEqual(await validity(page, `#node-config-input-${field}`, [bad, good]), [false, true], `${type} ${reference}.${field}: "${bad}" then "${good}"`);
      await page.locator('#node-config-dialog-cancel').click();
      await page.locator('#node-config-dialog-cancel').waitFor({ state: 'detached' });
      await page.locator('#node-dialog-cancel').click();
      await page.locator('#node-dialog-cancel').waitFor({ state: 'detached' });
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
