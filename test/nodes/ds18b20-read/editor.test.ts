// The read node's edit dialog in Debian's chromium: the sensor dropdown is filled from the admin endpoint
// (a fake w1 tree here), a sensor is chosen and named, and the saved node carries the choice.
import { strict as assert } from 'assert';
import { Browser, Page } from 'playwright-core';
import { launchChromium } from '../../e2e/support/browser';
import { dragOntoCanvas, fieldVerdict, openEditDialog, openEditor, saveEditDialog } from '../../e2e/support/editor';
import { NodeRedProcess, startNodeRed } from '../../e2e/support/node-red-process';
import { FakeW1Tree } from '../../src/onewire/fake-w1-tree';

declare const RED: any; // the editor's global, only touched inside page.evaluate

const A = '28-0316a27950ff';
const S = '10-000802b4a1c3';

describe('ds18b20-read edit dialog in a browser', function () {
  this.timeout(60000);
  let nodeRed: NodeRedProcess;
  let browser: Browser;
  let page: Page;
  let tree: FakeW1Tree;
  const pageErrors: string[] = [];

  before(async function () {
    tree = await FakeW1Tree.create();
    await tree.addMaster(1, [A]);
    await tree.addMaster(2, [S]);
    await tree.addSensor(A, 21000);
    await tree.addSensor(S, 22000);
    browser = await launchChromium();
    nodeRed = await startNodeRed();
    page = await browser.newPage({ viewport: { width: 1400, height: 900 } });
    page.on('pageerror', (err) => pageErrors.push(err.message));
    await openEditor(page, nodeRed.baseUrl);
  });

  after(async function () {
    await page?.close();
    await browser?.close();
    await nodeRed?.stop();
    await tree?.remove();
  });

  it('finds the w1 sensors of every bus master, lets one be chosen and named, and saves the choice', async function () {
    const id = await dragOntoCanvas(page, 'ds18b20-read', 300, 200);
    await openEditDialog(page, id);
    await page.selectOption('#node-input-source', 'w1');
    assert.equal(await page.locator('#node-input-device').isVisible(), false, 'the device row hides for w1');
    await page.fill('#node-input-w1Path', tree.root);
    await page.locator('#node-input-find-sensors').click();
    await page.locator('#node-input-find-status', { hasText: '2 found' }).waitFor({ timeout: 10000 });

    await page.locator('.node-input-sensor-list-row .red-ui-editableList-addButton').click();
    const row = page.locator('#node-input-sensor-list li').first();
    const options = await row.locator('select.ds18b20-read-ident option').allTextContents();
    assert.deepEqual(options, [`${S} (DS18S20)`, `${A} (DS18B20)`]);
    await row.locator('select.ds18b20-read-ident').selectOption(A);
    await row.locator('input.ds18b20-read-name').fill('Boiler');
    await row.locator('input.ds18b20-read-offset').fill('12');
    assert.match(
      (await row.locator('input.ds18b20-read-offset').getAttribute('title')) ?? '',
      /Sensor offsets: a number of °C from -10 to 10/,
    );
    await row.locator('input.ds18b20-read-offset').fill('-0.5');
    await page.selectOption('#node-input-unit', 'F');
    await page.selectOption('#node-input-decimals', '1');
    assert.deepEqual(await page.locator('#node-input-resolution option').allTextContents(), [
      'leave as the sensor is',
      '9 bit (93.75 ms)',
      '10 bit (187.5 ms)',
      '11 bit (375 ms)',
      '12 bit (750 ms)',
    ]);
    await page.selectOption('#node-input-resolution', '9');
    await page.selectOption('#node-input-output', 'board');
    assert.equal(await fieldVerdict(page, '#node-input-deadband', '-1'), 'Deadband: a number of °C from 0 to 100');
    assert.equal(await fieldVerdict(page, '#node-input-heartbeat', '1.5'), 'Heartbeat: a whole number of seconds from 0 to 86400');
    assert.equal(await fieldVerdict(page, '#node-input-maxStep', 'big'), 'Spike step: a number of °C from 0 to 180');
    assert.equal(await fieldVerdict(page, '#node-input-deadband', '0.25'), '');
    assert.equal(await fieldVerdict(page, '#node-input-heartbeat', '300'), '');
    assert.equal(await fieldVerdict(page, '#node-input-maxStep', '5'), '');
    await saveEditDialog(page);

    const saved = await page.evaluate((nodeId) => {
      const node = RED.nodes.node(nodeId);
      return {
        source: node.source,
        w1Path: node.w1Path,
        sensors: node.sensors,
        unit: node.unit,
        decimals: node.decimals,
        resolution: node.resolution,
        output: node.output,
        deadband: node.deadband,
        heartbeat: node.heartbeat,
        maxStep: node.maxStep,
        valid: node.valid,
      };
    }, id);
    assert.deepEqual(saved, {
      source: 'w1',
      w1Path: tree.root,
      sensors: [{ id: A, name: 'Boiler', offset: -0.5 }],
      unit: 'F',
      decimals: '1',
      resolution: '9',
      output: 'board',
      deadband: '0.25',
      heartbeat: '300',
      maxStep: '5',
      valid: true,
    });

    // A flow saved before offsets (sensors by `ident`) opens with its sensor chosen.
    await openEditDialog(page, id);
    await page.evaluate((nodeId) => {
      RED.nodes.node(nodeId).sensors = [{ ident: '28-0316a27950ff', name: 'Old' }];
    }, id);
    await page.locator('#node-dialog-cancel').click();
    await openEditDialog(page, id);
    const reopened = page.locator('#node-input-sensor-list li').first();
    assert.equal(await reopened.locator('select.ds18b20-read-ident').inputValue(), A);
    assert.equal(await reopened.locator('input.ds18b20-read-name').inputValue(), 'Old');
    assert.equal(await page.locator('#node-input-resolution').inputValue(), '9');
    await page.locator('#node-dialog-cancel').click();
    assert.deepEqual(pageErrors, []);
  });

  it('shows why the list is empty when the w1 path has no bus', async function () {
    const id = await dragOntoCanvas(page, 'ds18b20-read', 300, 350);
    await openEditDialog(page, id);
    await page.selectOption('#node-input-source', 'w1');
    await page.fill('#node-input-w1Path', '/nonexistent/w1');
    await page.locator('#node-input-find-sensors').click();
    await page.locator('#node-input-find-status', { hasText: 'no 1-Wire bus' }).waitFor({ timeout: 10000 });
    await page.locator('#node-dialog-cancel').click();
    assert.deepEqual(pageErrors, []);
  });
});
