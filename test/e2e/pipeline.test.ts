// The main example, deployed the way a user does it: imported in the editor, pointed at a board and a
// broker through the edit dialogs, deployed, and the firmware flashed with the inject button. The board
// is the built-in virtual ESP8266; the broker is an MQTT server with TLS on 127.0.0.1 standing in for flespi.
import { strict as assert } from 'assert';
import { randomBytes } from 'crypto';
import * as fs from 'fs';
import * as path from 'path';
import { Browser, Page } from 'playwright-core';
import { readManifest } from '../package/package-layout';
import { getFlows, getJson } from './support/admin-api';
import { launchChromium } from './support/browser';
import {
  deploy,
  exportAllFlows,
  importExample,
  openConfigDialog,
  openEditDialog,
  openEditor,
  saveConfigDialog,
  setField,
  showPaletteCategoryOf,
  statusOf,
} from './support/editor';
import { eventually } from '../support/wait';
import { FlespiStandIn, fillBrokerDialog, startFlespiStandIn } from './support/flespi-stand-in';
import { NodeRedProcess, startNodeRed } from './support/node-red-process';
import { screenshotPath } from './support/screenshot';

declare const RED: any; // the editor's global, only touched inside page.evaluate

const MAIN_EXAMPLE = 'Flash, read and publish to flespi';
const SCREENSHOT = screenshotPath('flow.png');

describe('main example deployed through the editor', function () {
  this.timeout(90000);
  const moduleName = readManifest().name ?? '';
  const token = randomBytes(32).toString('hex');
  let flespi: FlespiStandIn;
  let nodeRed: NodeRedProcess;
  let browser: Browser;
  let page: Page;
  const ids: Record<string, string> = {};

  before(async function () {
    flespi = await startFlespiStandIn(token);
    browser = await launchChromium();
    nodeRed = await startNodeRed();
    page = await browser.newPage({ viewport: { width: 1280, height: 720 } });
    await openEditor(page, nodeRed.baseUrl);

    const imported = await importExample(page, moduleName, MAIN_EXAMPLE);
    const types: Array<[string, string]> = await page.evaluate((list) => list.map((id) => [RED.nodes.node(id).type, id]), imported);
    for (const [type, id] of types) if (!ids[type]) ids[type] = id;
    for (const type of ['inject', 'esp8266-flash', 'ds18b20-read', 'flespi-mqtts-out', 'esp8266-device', 'flespi-broker']) {
      assert.ok(ids[type], `the main example has no ${type} node`);
    }
  });

  after(async function () {
    await page?.close();
    await browser?.close();
    await nodeRed?.stop();
    await flespi?.broker.close();
  });

  // The steps below run in order, as a person would take them, on one editor page.

  it('Test connection in the broker dialog refuses a wrong token, then accepts the right one', async function () {
    await openConfigDialog(page, ids['flespi-broker']);
    const result = page.locator('#node-config-flespi-broker-test-result');

    await fillBrokerDialog(page, flespi, 'not-the-token');
    await page.locator('#node-config-flespi-broker-test').click();
    await result.and(page.locator('.flespi-broker-failed')).waitFor({ timeout: 15000 });
    assert.match(await result.innerText(), /\S/, 'the refusal gives a reason');

    await fillBrokerDialog(page, flespi);
    await page.locator('#node-config-flespi-broker-test').click();
    await result.and(page.locator('.flespi-broker-ok')).waitFor({ timeout: 15000 });
    await saveConfigDialog(page);
  });

  it('deploys with the board set to a virtual port, with no warning about the flow', async function () {
    await openConfigDialog(page, ids['esp8266-device']);
    await setField(page, '#node-config-input-port', 'sim:e2e');
    await saveConfigDialog(page);
    await deploy(page);
  });

  it('the inject button flashes the bundled firmware, with live progress and a notification', async function () {
    await page.evaluate(() => {
      const seen: Array<{ phase: string; percent?: number }> = [];
      (window as unknown as { flashProgress: typeof seen }).flashProgress = seen;
      RED.comms.subscribe('esp8266-flash/#', (_topic: string, p: { phase: string; percent?: number }) =>
        seen.push({ phase: p.phase, percent: p.percent }),
      );
    });
    await page.locator(`g.red-ui-flow-node-group[id="${ids.inject}"] .red-ui-flow-node-button-button`).click();
    const status = await eventually('a flash result', 60000, async () => {
      const s = await statusOf(page, ids['esp8266-flash']);
      return s.fill === 'green' || s.fill === 'red' ? s : undefined;
    });
    assert.equal(status.fill, 'green', `flash status: ${status.text}`);
    await page.locator('.red-ui-notification:visible', { hasText: 'ESP8266 flashed' }).waitFor({ timeout: 5000 });
    const progress = await page.evaluate(
      () => (window as unknown as { flashProgress: Array<{ phase: string; percent?: number }> }).flashProgress,
    );
    const percents = progress.map((p) => p.percent).filter((p): p is number => typeof p === 'number');
    assert.ok(percents.length >= 2, `progress updates seen: ${JSON.stringify(progress)}`);
    assert.deepEqual(
      percents,
      [...percents].sort((a, b) => a - b),
      'progress only moves forward',
    );
    assert.equal(progress[progress.length - 1].phase, 'done');
  });

  it('readings from the board reach the broker as JSON on sensors/<ident>/temperature', async function () {
    const message = await eventually('a reading at the broker', 30000, async () =>
      flespi.broker.received.find((m) => /^sensors\/28-[0-9a-f]{12}\/temperature$/.test(m.topic)),
    );
    const reading = JSON.parse(message.payload.toString()) as { ident: string; timestamp: number; temperature: number };
    assert.equal(message.topic, `sensors/${reading.ident}/temperature`);
    assert.equal(typeof reading.temperature, 'number');
    assert.ok(Math.abs(reading.timestamp - Date.now() / 1000) < 120, `timestamp ${reading.timestamp} is in unix seconds, now`);
    assert.equal(message.qos, 1);
  });

  it('Find sensors in the read node dialog lists the sensors on the board', async function () {
    await openEditDialog(page, ids['ds18b20-read']);
    await page.locator('#node-input-find-sensors').click();
    const found = page.locator('#node-input-find-status');
    await eventually('a sensor search result', 15000, async () => ((await found.innerText()).match(/found|could not/) ? true : undefined));
    assert.match(await found.innerText(), /^[1-9]\d* found$/);
    await page.locator('.node-input-sensor-list-row .red-ui-editableList-addButton').click();
    const options = await page.locator('.ds18b20-read-ident option').allInnerTexts();
    assert.ok(
      options.some((o) => /^28-[0-9a-f]{12}\b/.test(o)),
      `sensor choices: ${options.join(', ')}`,
    );
    await page.locator('#node-dialog-cancel').click();
    await page.locator('#node-dialog-cancel').waitFor({ state: 'detached' });
  });

  it('the port search in the device dialog offers the virtual board', async function () {
    await openConfigDialog(page, ids['esp8266-device']);
    await page.locator('#node-config-esp8266-device-search').click();
    await page.locator('#node-config-esp8266-device-ports a', { hasText: 'sim:e2e' }).waitFor({ timeout: 10000 });
    await page.locator('#node-config-dialog-cancel').click();
    await page.locator('#node-config-dialog-cancel').waitFor({ state: 'detached' });
  });

  it('the read and out nodes turn green', async function () {
    for (const type of ['ds18b20-read', 'flespi-mqtts-out']) {
      await eventually(`a green status on ${type}`, 20000, async () =>
        (await statusOf(page, ids[type])).fill === 'green' ? true : undefined,
      );
    }
    // The picture in the README: the flow with its live statuses, the package's palette category
    // and the readings in the debug sidebar.
    await page.evaluate(() => {
      RED.view.select({ nodes: [] });
      RED.sidebar.show('debug');
    });
    await showPaletteCategoryOf(page, 'ds18b20-read');
    // Clicks on the canvas may have scrolled the workspace; the picture shows it from its top-left corner.
    await page.evaluate(() => document.getElementById('red-ui-workspace-chart')?.scrollTo(0, 0));
    await page.locator('.red-ui-debug-msg').first().waitFor({ state: 'visible', timeout: 15000 });
    await page.screenshot({ path: SCREENSHOT });
  });

  it('the flespi token is in no file, export, admin response, page or log', async function () {
    const userFiles = ['flows.json', 'flows_cred.json', '.config.runtime.json']
      .map((name) => path.join(nodeRed.userDir, name))
      .filter((file) => fs.existsSync(file));
    assert.ok(
      userFiles.some((f) => f.endsWith('flows_cred.json')),
      'the credentials were saved',
    );
    for (const file of userFiles) assert.ok(!fs.readFileSync(file, 'utf8').includes(token), `${path.basename(file)} holds the token`);

    assert.ok(!(await exportAllFlows(page)).includes(token), 'the clipboard export holds the token');
    assert.ok(!JSON.stringify(await getFlows(nodeRed.baseUrl)).includes(token), 'GET /flows returns the token');
    const credentials = await getJson<Record<string, unknown>>(nodeRed.baseUrl, `credentials/flespi-broker/${ids['flespi-broker']}`);
    assert.equal(credentials.has_token, true);
    assert.ok(!JSON.stringify(credentials).includes(token), 'GET /credentials returns the token');

    const fresh = await browser.newPage();
    try {
      await openEditor(fresh, nodeRed.baseUrl);
      await openConfigDialog(fresh, ids['flespi-broker']);
      assert.ok(!(await fresh.content()).includes(token), 'the reopened broker dialog shows the token');
    } finally {
      await fresh.close();
    }
    assert.ok(!nodeRed.log().includes(token), 'the Node-RED log holds the token');
  });
});
