// The Raspberry Pi example, deployed through the editor against a folder laid out like the kernel's
// w1 sysfs tree (there is no 1-Wire bus here), publishing to a TLS broker standing in for flespi.
import { strict as assert } from 'assert';
import { randomBytes } from 'crypto';
import { Browser, Page } from 'playwright-core';
import { FakeW1Tree } from '../src/onewire/fake-w1-tree';
import { readManifest } from '../package/package-layout';
import { launchChromium } from './support/browser';
import {
  deploy,
  importExample,
  openConfigDialog,
  openEditDialog,
  openEditor,
  saveConfigDialog,
  saveEditDialog,
  setField,
  statusOf,
} from './support/editor';
import { eventually } from '../support/wait';
import { FlespiStandIn, fillBrokerDialog, startFlespiStandIn } from './support/flespi-stand-in';
import { NodeRedProcess, startNodeRed } from './support/node-red-process';

declare const RED: any; // the editor's global, only touched inside page.evaluate

const W1_EXAMPLE = 'Raspberry Pi w1 sensors to flespi';
const SENSOR = '28-0316a27950ff';

describe('Raspberry Pi w1 example deployed through the editor', function () {
  this.timeout(60000);
  const moduleName = readManifest().name ?? '';
  let flespi: FlespiStandIn;
  let w1: FakeW1Tree;
  let nodeRed: NodeRedProcess;
  let browser: Browser;
  let page: Page;
  const ids: Record<string, string> = {};

  before(async function () {
    flespi = await startFlespiStandIn(randomBytes(32).toString('hex'));
    w1 = await FakeW1Tree.create();
    await w1.addMaster(1, [SENSOR]);
    await w1.addSensor(SENSOR, 21437, { resolution: 12, extPower: 1 });
    browser = await launchChromium();
    nodeRed = await startNodeRed();
    page = await browser.newPage({ viewport: { width: 1280, height: 720 } });
    await openEditor(page, nodeRed.baseUrl);
    const imported = await importExample(page, moduleName, W1_EXAMPLE);
    const types: Array<[string, string]> = await page.evaluate((list) => list.map((id) => [RED.nodes.node(id).type, id]), imported);
    for (const [type, id] of types) if (!ids[type]) ids[type] = id;
  });

  after(async function () {
    await page?.close();
    await browser?.close();
    await nodeRed?.stop();
    await flespi?.broker.close();
    await w1?.remove();
  });

  it('Find sensors in the read node dialog lists the sensor of the w1 tree', async function () {
    await openEditDialog(page, ids['ds18b20-read']);
    assert.equal(await page.locator('#node-input-source').inputValue(), 'w1');
    await setField(page, '#node-input-w1Path', w1.root);
    await setField(page, '#node-input-interval', '1000');
    await page.locator('#node-input-find-sensors').click();
    const found = page.locator('#node-input-find-status');
    await eventually('a sensor search result', 10000, async () => ((await found.innerText()).match(/found|could not/) ? true : undefined));
    assert.equal(await found.innerText(), '1 found');
    await saveEditDialog(page);
  });

  it('deployed, the reading reaches the broker and the read node turns green', async function () {
    await openConfigDialog(page, ids['flespi-broker']);
    await fillBrokerDialog(page, flespi);
    await saveConfigDialog(page);
    await deploy(page);

    const message = await eventually('a reading at the broker', 20000, async () =>
      flespi.broker.received.find((m) => m.topic === `sensors/${SENSOR}/temperature`),
    );
    const reading = JSON.parse(message.payload.toString()) as { ident: string; temperature: number };
    assert.equal(reading.ident, SENSOR);
    assert.ok(Math.abs(reading.temperature - 21.437) < 0.01, `temperature ${reading.temperature}`);
    await eventually('a green read status', 10000, async () =>
      (await statusOf(page, ids['ds18b20-read'])).fill === 'green' ? true : undefined,
    );
  });
});
