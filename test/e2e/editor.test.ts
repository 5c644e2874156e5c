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
  fieldVerdict,
  saveEditDialog,
  untranslatedKeys,
  validatorVerdict,
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
    const declared = declaredNodeFiles()
      .map((f) => f.setName)
      .sort();
    assert.deepEqual(loaded.nodes.map((n) => n.name).sort(), declared);
    const failures = loaded.nodes
      .filter((n) => !n.enabled || n.err || n.types.length === 0)
      .map((n) => `${n.name}: ${describeLoadError(n.err)}`);
    assert.deepEqual(failures, []);
  });

  it(`the palette shows every flow node of the package under "${PALETTE_CATEGORY}"`, async function () {
    assert.ok(flowTypes.length > 0, 'the package registers no flow node');
    for (const type of flowTypes) {
      await paletteNode(page, type).waitFor({ state: 'attached', timeout: 5000 });
      assert.equal(await paletteCategoryOf(page, type), PALETTE_CATEGORY, `${type} palette category`);
      const iconUrl = await paletteNode(page, type)
        .locator('.red-ui-palette-icon')
        .evaluate((el) => getComputedStyle(el).backgroundImage);
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
      assert.deepEqual(
        saved.configTypes,
        configProperties.map((p) => p.type),
        `${type}: config nodes were created and selected`,
      );
    }
  });

  it('fields refuse bad values as they are typed, with the reason the runtime gives, and accept good ones', async function () {
    // Sixteen dialogs opened and typed into, one after another: about 55 s on a quiet two-core machine.
    this.timeout(180000);
    // [type, field, bad value, the reason shown, good value] for every rule of src/field-rules.ts.
    const flowFields: Array<[string, string, string, string, string]> = [
      ['ds18b20-read', 'interval', 'often', 'Every: 0, or a whole number of ms from 1000 to 86400000', '10000'],
      ['ds18b20-read', 'interval', '500', 'Every: 0, or a whole number of ms from 1000 to 86400000', '0'],
      ['ds18b20-read', 'w1Path', `/${'w'.repeat(300)}`, 'w1 path: at most 256 characters', '/sys/bus/w1/devices'],
      [
        'flespi-mqtts-out',
        'topic',
        'sensors/+/temperature',
        'topic "sensors/+/temperature" contains a wildcard ("+" or "#"), which is for subscribing only',
        'sensors/{{ident}}/temperature',
      ],
      [
        'flespi-mqtts-out',
        'topic',
        'flespi/state',
        'topic "flespi/state" is reserved: flespi accepts no publishing under "flespi/"',
        'home/boiler',
      ],
      ['flespi-mqtts-out', 'topic', '/home/boiler', 'topic "/home/boiler" starts with "/": flespi topics must not begin with a slash', ''],
    ];
    // [flow node type, its config property, config field, bad value, the reason shown, good value]
    const configFields: Array<[string, string, string, string, string, string]> = [
      ['esp8266-flash', 'device', 'port', '', 'Serial port: choose or type the port of the board', '/dev/ttyUSB0'],
      ['esp8266-flash', 'device', 'port', `/dev/${'p'.repeat(260)}`, 'Serial port: at most 256 characters', 'sim:kitchen'],
      ['esp8266-flash', 'device', 'baud', 'fast', 'Baud rate: a whole number from 300 to 4000000', '115200'],
      ['flespi-mqtts-out', 'broker', 'host', 'mqtt flespi io', '"mqtt flespi io" is not a host name', 'mqtt.flespi.io'],
      ['flespi-mqtts-out', 'broker', 'port', 'tls', 'Port: a whole number from 1 to 65535', '8883'],
      ['flespi-mqtts-out', 'broker', 'keepalive', '-1', 'Keepalive: a whole number of seconds from 0 to 65535', '60'],
      ['flespi-mqtts-out', 'broker', 'clientId', 'é'.repeat(129), 'Client id: at most 256 bytes', 'nodered-boiler'],
      ['flespi-mqtts-out', 'broker', 'pin', 'AB:CD', 'Pin: a SHA-256 fingerprint, 64 hexadecimal digits (colons allowed)', ''],
      ['flespi-mqtts-out', 'broker', 'bufferMessages', '0', 'Offline buffer: a whole number of messages from 1 to 1000000', '10000'],
      ['flespi-mqtts-out', 'broker', 'bufferMegabytes', '0.5', 'Offline buffer: a whole number of MB from 1 to 1024', '16'],
    ];
    // Fields the dialog fills from a select, so only an imported flow can hold a bad value: the validator itself.
    const selectFields: Array<[string, string, string, string, string]> = [
      ['esp8266-flash', 'flashBaud', '1200', 'Flash baud: a whole number from 9600 to 4000000', '921600'],
      ['flespi-mqtts-out', 'qos', '2', 'QoS: 0, 1, or from msg.qos', ''],
    ];
    const registered = new Set(flowTypes);
    assert.ok(
      [...flowFields, ...configFields, ...selectFields].every(([type]) => registered.has(type)),
      'a node type of the contract is missing',
    );
    let placed = 0;
    const nextSpot = (): [number, number] => [150 + (placed % 4) * 150, 300 + Math.floor(placed++ / 4) * 80];
    const verdicts = async (selector: string, bad: string, good: string) => [
      await fieldVerdict(page, selector, bad),
      await fieldVerdict(page, selector, good),
    ];
    for (const [type, field, bad, reason, good] of flowFields) {
      const id = await dragOntoCanvas(page, type, ...nextSpot());
      await openEditDialog(page, id);
      if (type === 'ds18b20-read') await page.selectOption('#node-input-source', field === 'w1Path' ? 'w1' : 'esp8266');
      assert.deepEqual(
        await verdicts(`#node-input-${field}`, bad, good),
        [reason, ''],
        `${type}.${field}: "${bad.slice(0, 30)}" then "${good}"`,
      );
      await page.locator('#node-dialog-cancel').click();
      await page.locator('#node-dialog-cancel').waitFor({ state: 'detached' });
    }
    for (const [type, reference, field, bad, reason, good] of configFields) {
      const id = await dragOntoCanvas(page, type, ...nextSpot());
      await openEditDialog(page, id);
      await page.locator(`#node-input-btn-${reference}-add`).click();
      await page.locator('#node-config-dialog-ok').waitFor({ state: 'visible' });
      assert.deepEqual(
        await verdicts(`#node-config-input-${field}`, bad, good),
        [reason, ''],
        `${type} ${reference}.${field}: "${bad.slice(0, 30)}" then "${good}"`,
      );
      await page.locator('#node-config-dialog-cancel').click();
      await page.locator('#node-config-dialog-cancel').waitFor({ state: 'detached' });
      await page.locator('#node-dialog-cancel').click();
      await page.locator('#node-dialog-cancel').waitFor({ state: 'detached' });
    }
    for (const [type, property, bad, reason, good] of selectFields) {
      assert.deepEqual(
        [await validatorVerdict(page, type, property, bad), await validatorVerdict(page, type, property, good)],
        [reason, ''],
        `${type}.${property}`,
      );
    }
    assert.deepEqual(
      [await validatorVerdict(page, 'flespi-broker', 'transport', 'ws'), await validatorVerdict(page, 'flespi-broker', 'transport', 'wss')],
      ['Transport: MQTT over TLS or MQTT over WebSockets', ''],
      'flespi-broker.transport',
    );
  });

  it('the expiry, status topic and WebSocket fields: checked by their rules; choosing WebSockets shows the path and moves the port to 443', async function () {
    const out = await dragOntoCanvas(page, 'flespi-mqtts-out', 600, 500);
    await openEditDialog(page, out);
    assert.deepEqual(
      [await fieldVerdict(page, '#node-input-messageExpiry', '1.5'), await fieldVerdict(page, '#node-input-messageExpiry', '3600')],
      ['Message expiry: a whole number of seconds from 0 to 4294967295', ''],
    );
    await page.locator('#node-input-btn-broker-add').click();
    await page.locator('#node-config-dialog-ok').waitFor({ state: 'visible' });
    assert.equal(await page.locator('#node-config-input-wsPath').isVisible(), false, 'no path for MQTT over TLS');
    assert.deepEqual(
      [
        await fieldVerdict(page, '#node-config-input-statusTopic', 'flespi/status'),
        await fieldVerdict(page, '#node-config-input-statusTopic', 'status/{{ident}}'),
        await fieldVerdict(page, '#node-config-input-statusTopic', 'nodered/status'),
      ],
      [
        'Status topic "flespi/status" is reserved: flespi accepts no publishing under "flespi/"',
        'Status topic: a plain topic, without {{…}} parts',
        '',
      ],
    );
    await page.selectOption('#node-config-input-transport', 'wss');
    assert.equal(await page.locator('#node-config-input-port').inputValue(), '443');
    assert.deepEqual(
      [await fieldVerdict(page, '#node-config-input-wsPath', 'mqtt'), await fieldVerdict(page, '#node-config-input-wsPath', '/mqtt')],
      ['WebSocket path: starts with "/", printable characters, no spaces, "?" or "#"', ''],
    );
    await page.selectOption('#node-config-input-transport', 'tls');
    assert.equal(await page.locator('#node-config-input-port').inputValue(), '8883');
    await page.locator('#node-config-dialog-cancel').click();
    await page.locator('#node-config-dialog-cancel').waitFor({ state: 'detached' });
    await page.locator('#node-dialog-cancel').click();
    await page.locator('#node-dialog-cancel').waitFor({ state: 'detached' });
  });

  it('fields that depend on another one: the read node needs a device only for the bridge, the flash node a file only when it writes one, an address and size only when it reads', async function () {
    const read = await dragOntoCanvas(page, 'ds18b20-read', 200, 500);
    await openEditDialog(page, read);
    await page.selectOption('#node-input-source', 'esp8266');
    assert.equal(await fieldVerdict(page, '#node-input-device', '_ADD_'), 'ESP8266: choose the device whose board runs the bridge');
    await page.selectOption('#node-input-source', 'w1');
    assert.equal(await page.locator('#node-input-device').evaluate((el) => el.classList.contains('input-error')), false);
    await page.locator('.node-input-sensor-list-row .red-ui-editableList-addButton').click();
    assert.equal(await page.locator('#node-input-sensor-list input.ds18b20-read-name').first().getAttribute('maxlength'), '64');
    await page.locator('#node-dialog-cancel').click();
    await page.locator('#node-dialog-cancel').waitFor({ state: 'detached' });

    const flash = await dragOntoCanvas(page, 'esp8266-flash', 400, 500);
    await openEditDialog(page, flash);
    await page.selectOption('#node-input-firmware', 'file');
    assert.deepEqual(
      [await fieldVerdict(page, '#node-input-file', ''), await fieldVerdict(page, '#node-input-file', '/home/pi/app.bin')],
      ['File: the path of the image on the server, or address=path pairs', ''],
    );
    assert.equal(
      await fieldVerdict(page, '#node-input-file', '0x0=/fw/boot.bin, 0x1800=/fw/app.bin'),
      'File: address 0x1800 must be a multiple of 0x1000 (4 KB) below 16 MB',
    );
    assert.equal(await fieldVerdict(page, '#node-input-file', '0x0=/fw/boot.bin, 0x1000=/fw/app.bin'), '');
    await fieldVerdict(page, '#node-input-file', '');
    await page.selectOption('#node-input-firmware', 'bundled');
    assert.equal(await page.locator('#node-input-file').evaluate((el) => el.classList.contains('input-error')), false);
    // Mode read: address and size instead of the firmware rows, checked by the same rules as the runtime.
    assert.equal(await page.locator('#node-input-address').isVisible(), false);
    await page.selectOption('#node-input-mode', 'read');
    assert.equal(await page.locator('#node-input-firmware').isVisible(), false);
    assert.equal(await page.locator('#node-input-backup').isVisible(), false);
    assert.equal(
      await fieldVerdict(page, '#node-input-address', '0x1000000'),
      'Address: a flash address from 0 to 0xffffff, in hex (0x…) or decimal',
    );
    assert.equal(await fieldVerdict(page, '#node-input-address', '0x300000'), '');
    assert.equal(
      await fieldVerdict(page, '#node-input-size', 'all'),
      'Size: blank for the whole flash, or 1 to 16777216 bytes, in hex (0x…) or decimal',
    );
    assert.equal(await fieldVerdict(page, '#node-input-size', ''), '');
    await page.selectOption('#node-input-mode', 'write');
    assert.equal(await page.locator('#node-input-backup').isVisible(), true);
    await page.locator('#node-dialog-cancel').click();
    await page.locator('#node-dialog-cancel').waitFor({ state: 'detached' });
  });

  for (const example of exampleFlows()) {
    it(`Import > Examples > "${example.label}" brings in every node with its own type`, async function () {
      const ids = await importExample(page, moduleName, example.label);
      assert.equal(ids.length, example.nodes.length, 'every node of the example was imported');
      const unknown: string[] = await page.evaluate(
        (imported) =>
          imported
            .map((id) => RED.nodes.node(id))
            .filter((n) => n.type === 'unknown')
            .map((n) => n._orig?.type ?? n.name),
        ids,
      );
      assert.deepEqual(
        unknown.filter((t) => !OTHER_PACKAGES_TYPE.test(t)),
        [],
        'types the editor did not recognise',
      );
    });
  }
});
