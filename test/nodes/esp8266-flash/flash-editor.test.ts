// The flash node's editor parts in Debian's chromium against a Node-RED process: live progress in
// the open edit dialog and a notification when the flash ends, and the device's port search.
import { strict as assert } from 'assert';
import { Browser, Page } from 'playwright-core';
import { launchChromium } from '../../e2e/support/browser';
import { openConfigDialog, openEditDialog, openEditor } from '../../e2e/support/editor';
import { NodeRedProcess, startNodeRed } from '../../e2e/support/node-red-process';

const BOARD = 'sim:editor-flash';

const flow = [
  { id: 'tab1', type: 'tab', label: 'Flash' },
  { id: 'dev1', type: 'esp8266-device', port: BOARD, baud: 115200, reset: 'auto' },
  {
    id: 'go1',
    type: 'inject',
    z: 'tab1',
    x: 120,
    y: 100,
    props: [{ p: 'payload' }],
    payload: '',
    payloadType: 'date',
    repeat: '',
    once: false,
    wires: [['flash1']],
  },
  {
    id: 'flash1',
    type: 'esp8266-flash',
    z: 'tab1',
    x: 330,
    y: 100,
    device: 'dev1',
    firmware: 'bundled',
    flashBaud: 921600,
    verify: true,
    eraseAll: false,
    progressOutput: false,
    outputs: 1,
    wires: [[]],
  },
];

async function deployFlows(baseUrl: string): Promise<void> {
  const response = await fetch(new URL('flows', baseUrl), {
    method: 'POST',
    headers: { 'Content-Type': 'application/json', 'Node-RED-Deployment-Type': 'full' },
    body: JSON.stringify(flow),
  });
  if (!response.ok) throw new Error(`POST flows: HTTP ${response.status} ${await response.text()}`);
}

async function pressInject(baseUrl: string, id: string): Promise<void> {
  const response = await fetch(new URL(`inject/${id}`, baseUrl), { method: 'POST' });
  if (!response.ok) throw new Error(`POST inject/${id}: HTTP ${response.status}`);
}

describe('esp8266-flash and esp8266-device in the editor', function () {
  this.timeout(60000);
  let nodeRed: NodeRedProcess;
  let browser: Browser;
  let page: Page;

  before(async function () {
    browser = await launchChromium();
    nodeRed = await startNodeRed();
    await deployFlows(nodeRed.baseUrl);
    page = await browser.newPage({ viewport: { width: 1400, height: 900 } });
    await openEditor(page, nodeRed.baseUrl);
  });

  after(async function () {
    await page?.close();
    await browser?.close();
    await nodeRed?.stop();
  });

  it('shows the progress of a running flash in the open edit dialog, and a notification at the end', async function () {
    await openEditDialog(page, 'flash1');
    const text = page.locator('#esp8266-flash-progress-text');
    assert.equal(await text.innerText(), '');
    // The bundled bridge flashes in well under a second: record every text the dialog shows rather than poll for one.
    await page.evaluate(() => {
      const element = document.querySelector('#esp8266-flash-progress-text') as HTMLElement;
      const seen: string[] = [];
      (window as unknown as { progressSeen: string[] }).progressSeen = seen;
      new MutationObserver(() => seen.push(element.textContent ?? '')).observe(element, {
        childList: true,
        characterData: true,
        subtree: true,
      });
    });
    await pressInject(nodeRed.baseUrl, 'go1');
    await page.waitForFunction(() => document.querySelector('#esp8266-flash-progress-text')?.textContent === 'done 100%', null, {
      timeout: 30000,
    });
    const seen = await page.evaluate(() => (window as unknown as { progressSeen: string[] }).progressSeen);
    assert.ok(
      seen.some((shown) => /^(connecting|preparing|comparing|writing|verifying) \d+%$/.test(shown)),
      JSON.stringify(seen),
    );
    assert.equal(await page.locator('#esp8266-flash-progress-bar').evaluate((el) => (el as HTMLElement).style.width), '100%');
    const notification = page.locator('.red-ui-notification', { hasText: 'ESP8266 flashed' });
    await notification.first().waitFor({ state: 'visible', timeout: 5000 });
    assert.match(await notification.first().innerText(), /ESP8266 flashed: \d+ bytes, MD5 verified/);
    await page.locator('#node-dialog-cancel').click();
  });

  it('lists the serial ports, virtual boards included, and fills in the one picked', async function () {
    await openConfigDialog(page, 'dev1');
    await page.locator('#node-config-input-port').fill('');
    await page.locator('#node-config-esp8266-device-search').click();
    const choice = page.locator('#node-config-esp8266-device-ports a', { hasText: BOARD });
    await choice.waitFor({ state: 'visible', timeout: 10000 });
    assert.match(await choice.innerText(), /virtual ESP8266/);
    await choice.click();
    assert.equal(await page.locator('#node-config-input-port').inputValue(), BOARD);
    assert.equal(await page.locator('#node-config-esp8266-device-ports a').count(), 0, 'the list closes after a pick');
    await page.locator('#node-config-dialog-cancel').click();
  });
});
