// The Boards sidebar in a real browser on Node-RED 5: two virtual boards (one with a failing sensor, one
// written from the sidebar) and a w1 tree, deployed as flows; the report it copies against the one
// esp8266-bridge-check prints for the same board.
import { strict as assert } from 'assert';
import { execFile } from 'child_process';
import * as path from 'path';
import { promisify } from 'util';
import { Browser, Page } from 'playwright-core';
import { FakeW1Tree } from '../src/onewire/fake-w1-tree';
import { PACKAGE_ROOT } from '../package/package-layout';
import { launchChromium } from './support/browser';
import { openEditor } from './support/editor';
import { eventually } from '../support/wait';
import { NodeRedProcess, startNodeRed } from './support/node-red-process';
import { CRC_SENSOR, FAILING_BOARD, FRESH_BOARD, FRESH_SENSORS, GOOD_SENSOR } from './support/sidebar-boards';
import { screenshotPath } from './support/screenshot';

declare const RED: any; // the editor's global, only touched inside page.evaluate

const PRELOAD = path.join(__dirname, 'support', 'sidebar-boards.js');
const CHECK_CLI = path.join(PACKAGE_ROOT, 'dist', 'src', 'bridge-check', 'cli.js');
const W1_SENSOR = '28-00000000e1e1';
const SCREENSHOT = screenshotPath('sidebar.png');
const TAB = 'esp8266-sidebar';

function flows(w1Root: string): Array<Record<string, unknown>> {
  const reader = (id: string, extra: Record<string, unknown>) => ({
    id,
    type: 'ds18b20-read',
    z: 'tab1',
    name: '',
    interval: '1000',
    output: 'each',
    unit: 'C',
    sensors: [],
    x: 200,
    y: 60,
    wires: [[]],
    ...extra,
  });
  return [
    { id: 'tab1', type: 'tab', label: 'Boards' },
    { id: 'devFailing', type: 'esp8266-device', name: 'greenhouse', port: `sim:${FAILING_BOARD}`, baud: '115200', reset: 'auto' },
    { id: 'devFresh', type: 'esp8266-device', name: 'cellar', port: `sim:${FRESH_BOARD}`, baud: '115200', reset: 'auto' },
    reader('readFailing', {
      source: 'esp8266',
      device: 'devFailing',
      sensors: [
        { ident: GOOD_SENSOR, name: 'soil' },
        { ident: CRC_SENSOR, name: 'roof' },
      ],
    }),
    reader('readFresh', { source: 'esp8266', device: 'devFresh', y: 120 }),
    // Only on input: its readings in the sidebar come from Read now.
    reader('readW1', { source: 'w1', w1Path: w1Root, interval: '0', y: 180 }),
  ];
}

async function deployFlows(baseUrl: string, nodes: unknown[]): Promise<void> {
  const response = await fetch(new URL('flows', baseUrl), {
    method: 'POST',
    headers: { 'Content-Type': 'application/json', 'Node-RED-Deployment-Type': 'full' },
    body: JSON.stringify(nodes),
  });
  assert.equal(response.status, 204, await response.text());
}

function board(page: Page, id: string) {
  return page.locator(`.esp8266-sidebar-board[data-board="${id}"]`);
}

/** The lines whose numbers depend on when and how long: timings, counts, temperatures. */
function withoutTimings(report: string): string {
  const lines = report.split('\n');
  let perSensor = false;
  return lines
    .map((line) => {
      if (/^per sensor/.test(line)) perSensor = true;
      else if (/^\S/.test(line)) perSensor = false;
      const timed = perSensor || /^(flashed|cycles|cycle time|serial noise)\s/.test(line);
      return timed ? line.replace(/-?\d+(\.\d+)?/g, '#').replace(/\s+/g, ' ') : line;
    })
    .join('\n');
}

/** The tab's content laid out at a readable width over the editor, for the README's picture. */
async function takeScreenshot(page: Page): Promise<void> {
  const content = page.locator('.esp8266-sidebar');
  await content.evaluate((el: HTMLElement) => {
    Object.assign(el.style, {
      position: 'fixed',
      left: '0',
      top: '0',
      width: '760px',
      height: '940px',
      zIndex: '10000',
      background: '#fff',
    });
    el.scrollTo(0, 0);
  });
  await content.screenshot({ path: SCREENSHOT });
}

describe('Boards sidebar on Node-RED 5', function () {
  this.timeout(180000);
  let w1: FakeW1Tree;
  let nodeRed: NodeRedProcess;
  let browser: Browser;
  let page: Page;

  before(async function () {
    w1 = await FakeW1Tree.create();
    await w1.addMaster(1, [W1_SENSOR]);
    await w1.addSensor(W1_SENSOR, 18062, { resolution: 11, extPower: 1 });
    nodeRed = await startNodeRed({ nodeArgs: ['--require', PRELOAD], readyTimeoutMs: 60000 });
    await deployFlows(nodeRed.baseUrl, flows(w1.root));
    browser = await launchChromium();
    page = await browser.newPage({ viewport: { width: 1400, height: 960 } });
    await openEditor(page, nodeRed.baseUrl);
    await page.evaluate((tab) => RED.sidebar.show(tab), TAB);
  });

  after(async function () {
    // The README's picture of the tab, taken once everything above has shown in it.
    if (page) await takeScreenshot(page);
    await page?.close();
    await browser?.close();
    await nodeRed?.stop();
    await w1?.remove();
  });

  it('lists both ESP8266 boards and the w1 bus, each sensor with its name, model and reading', async function () {
    const failing = board(page, 'devFailing');
    await failing.locator(`tr[data-ident="${GOOD_SENSOR}"]`).waitFor({ timeout: 30000 });
    await eventually('the failing board connected with its firmware', 30000, async () => {
      const text = await failing.innerText();
      return /connected/.test(text) && /ds18b20-bridge/.test(text) ? true : undefined;
    });
    const row = await failing.locator(`tr[data-ident="${GOOD_SENSOR}"]`).innerText();
    assert.match(row, /soil/);
    assert.match(row, /DS18B20 \(0x28\)/);
    assert.match(row, /19\.5\d* °C/);
    assert.match(await failing.locator('.esp8266-sidebar-cycle').innerText(), /Last read cycle: \d+ ms at /);
    assert.match(await board(page, 'devFresh').innerText(), /sim:sidebar-fresh/);
    const w1Board = page.locator('.esp8266-sidebar-board', { hasText: w1.root });
    assert.match(await w1Board.innerText(), /No read cycle yet/);
  });

  it('scans the bus and reads now from the sidebar', async function () {
    const failing = board(page, 'devFailing');
    await failing.locator('button.esp8266-sidebar-scan').click();
    await page.locator('.red-ui-notification', { hasText: 'Scan found 2 sensor(s)' }).waitFor({ timeout: 30000 });
    const w1Board = page.locator('.esp8266-sidebar-board', { hasText: w1.root });
    await w1Board.locator('button.esp8266-sidebar-scan').click();
    await w1Board.locator(`tr[data-ident="${W1_SENSOR}"]`).waitFor({ timeout: 30000 });
    await w1Board.locator('button.esp8266-sidebar-read').click();
    await eventually('the w1 reading', 30000, async () => ((await w1Board.innerText()).includes('18.062 °C') ? true : undefined));
    const clean = w1Board.locator(`tr[data-ident="${W1_SENSOR}"] td`).nth(7);
    assert.equal(await clean.innerText(), '1');
    assert.match(await w1Board.innerText(), /Last read cycle: \d+ ms at /);
  });

  it("turns the failing sensor's CRC count red and leaves the good one's plain", async function () {
    const failing = board(page, 'devFailing');
    const crcCell = failing.locator(`tr[data-ident="${CRC_SENSOR}"] td`).nth(8);
    await eventually('CRC errors counted', 30000, async () => (Number(await crcCell.innerText()) > 0 ? true : undefined));
    assert.ok(await crcCell.evaluate((el) => el.classList.contains('esp8266-sidebar-bad')));
    const goodCrc = failing.locator(`tr[data-ident="${GOOD_SENSOR}"] td`).nth(8);
    assert.equal(await goodCrc.innerText(), '0');
    assert.equal(await goodCrc.evaluate((el) => el.classList.contains('esp8266-sidebar-bad')), false);
  });

  it('writes the bridge to the blank board from the sidebar: progress, then the hello in its console', async function () {
    const fresh = board(page, 'devFresh');
    await eventually('the blank board shown as running other firmware', 30000, async () =>
      (await fresh.innerText()).includes('other firmware') ? true : undefined,
    );
    await fresh.locator('button.esp8266-sidebar-flash').click();
    await eventually('flash progress', 60000, async () =>
      (await fresh.locator('.esp8266-sidebar-progress-text').innerText()).match(/Flashing: .*\d+%/) ? true : undefined,
    );
    const consoleBox = fresh.locator('.esp8266-sidebar-console');
    await eventually('the bridge hello in the console', 120000, async () =>
      (await consoleBox.innerText()).includes('"type":"hello"') ? true : undefined,
    );
    const text = await consoleBox.innerText();
    assert.match(text, /-- paused: a flash holds the port --/);
    assert.match(text, /-- flash: writing \(\d+%\) --/);
    assert.match(text, /-- flash done --/);
    await eventually('the flashed board connected with its MAC', 30000, async () =>
      (await fresh.innerText()).match(/connected[\s\S]*MAC [0-9a-f:]{17}/) ? true : undefined,
    );
  });

  it('marks boot-ROM output read at the wrong baud rate in the console', async function () {
    const note = board(page, 'devFresh').locator('.esp8266-sidebar-console .esp8266-sidebar-note');
    await eventually('a boot-ROM note', 30000, async () => ((await note.count()) > 0 ? true : undefined));
    assert.match(await note.first().innerText(), /74880 baud/);
  });

  it('Copy report gives the text esp8266-bridge-check prints for the same board', async function () {
    const fresh = board(page, 'devFresh');
    await eventually('clean readings on the flashed board', 30000, async () => {
      const cells = await fresh.locator(`tr[data-ident="${FRESH_SENSORS[1]}"] td`).nth(7).innerText();
      return Number(cells) >= 2 ? true : undefined;
    });
    await fresh.locator('button.esp8266-sidebar-report').click();
    const report = fresh.locator('textarea.esp8266-sidebar-report-text');
    await eventually('the report', 15000, async () => ((await report.inputValue()).includes('result') ? true : undefined));
    const fromSidebar = await report.inputValue();
    const run = await promisify(execFile)(
      process.execPath,
      ['--require', PRELOAD, CHECK_CLI, `sim:${FRESH_BOARD}`, '--flash', '--cycles', '3'],
      { timeout: 120000 },
    );
    assert.equal(withoutTimings(fromSidebar), withoutTimings(run.stdout));
    assert.match(fromSidebar, /PASS/);
  });
});

describe('Boards sidebar for a user who may only read', function () {
  this.timeout(120000);
  // bcrypt of "sidebar-admin-pass", as `node-red admin hash-pw` makes it.
  const ADMIN_HASH = '$2b$08$YbRa2JWivvl4ZpbvV5pEle1coqffsoXI/begFocbhm30UA5R1Ew56';
  let nodeRed: NodeRedProcess;
  let browser: Browser;
  let page: Page;
  let token: string;

  before(async function () {
    nodeRed = await startNodeRed({
      nodeArgs: ['--require', PRELOAD],
      readyTimeoutMs: 60000,
      settings: {
        adminAuth: {
          type: 'credentials',
          users: [{ username: 'admin', password: ADMIN_HASH, permissions: '*' }],
          default: { permissions: 'read' },
        },
      },
    });
    const login = await fetch(new URL('auth/token', nodeRed.baseUrl), {
      method: 'POST',
      headers: { 'Content-Type': 'application/json' },
      body: JSON.stringify({
        client_id: 'node-red-admin',
        grant_type: 'password',
        scope: '*',
        username: 'admin',
        password: 'sidebar-admin-pass',
      }),
    });
    token = ((await login.json()) as { access_token: string }).access_token;
    const deployed = await fetch(new URL('flows', nodeRed.baseUrl), {
      method: 'POST',
      headers: { 'Content-Type': 'application/json', 'Node-RED-Deployment-Type': 'full', Authorization: `Bearer ${token}` },
      body: JSON.stringify(flows('/nonexistent-w1').filter((n) => n.id !== 'readW1' && n.id !== 'readFresh' && n.id !== 'devFresh')),
    });
    assert.equal(deployed.status, 204, await deployed.text());
    browser = await launchChromium();
    page = await browser.newPage({ viewport: { width: 1280, height: 800 } });
    await openEditor(page, nodeRed.baseUrl);
    await page.evaluate((tab) => RED.sidebar.show(tab), TAB);
  });

  after(async function () {
    await page?.close();
    await browser?.close();
    await nodeRed?.stop();
  });

  it('sees the boards and their readings, with every action disabled', async function () {
    const failing = board(page, 'devFailing');
    await failing.locator(`tr[data-ident="${GOOD_SENSOR}"]`).waitFor({ timeout: 30000 });
    for (const action of ['scan', 'read', 'flash', 'report']) {
      assert.equal(await failing.locator(`button.esp8266-sidebar-${action}`).isDisabled(), true, action);
    }
  });

  it('is refused by every action endpoint, which a user with write permission may use', async function () {
    for (const action of ['scan', 'read', 'flash', 'report']) {
      const refused = await fetch(new URL(`esp8266-sidebar/boards/devFailing/${action}`, nodeRed.baseUrl), { method: 'POST' });
      assert.equal(refused.status, 401, action);
    }
    const allowed = await fetch(new URL('esp8266-sidebar/boards/devFailing/report', nodeRed.baseUrl), {
      method: 'POST',
      headers: { Authorization: `Bearer ${token}` },
    });
    assert.equal(allowed.status, 200);
    assert.match(await allowed.text(), /^esp8266-bridge-check report\n/);
    const listed = await fetch(new URL('esp8266-sidebar/boards', nodeRed.baseUrl));
    assert.equal(listed.status, 200);
  });
});
