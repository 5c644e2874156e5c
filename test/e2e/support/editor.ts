// What a person does in the Node-RED editor, as Playwright steps. Selectors are those of
// the Node-RED 4.1 editor (@node-red/editor-client).
import { Page } from 'playwright-core';

declare const RED: any; // the editor's globals, only touched inside page.evaluate
declare const $: any;

export interface NodeStatus {
  fill?: string;
  shape?: string;
  text?: string;
}

export async function openEditor(page: Page, baseUrl: string): Promise<void> {
  await page.goto(baseUrl);
  await page.waitForSelector('#red-ui-palette .red-ui-palette-node', { timeout: 20000 });
  // The palette appears before the flows are loaded; the workspace tab marks the end of loading.
  await page.waitForFunction(() => typeof RED !== 'undefined' && RED.nodes && RED.workspaces.active(), null, { timeout: 20000 });
}

export function paletteNode(page: Page, type: string) {
  return page.locator(`#red-ui-palette .red-ui-palette-node[data-palette-type="${type}"]`);
}

/** The palette category a type is listed under, read from the palette DOM. */
export async function paletteCategoryOf(page: Page, type: string): Promise<string> {
  return paletteNode(page, type).evaluate((el) => {
    const category = el.closest('.red-ui-palette-category');
    return category?.querySelector('.red-ui-palette-header span')?.textContent?.trim() ?? category?.id ?? '';
  });
}

/** Ids of every node in the editor, flow and config nodes alike. */
export async function nodeIds(page: Page): Promise<string[]> {
  return page.evaluate(() => {
    const ids: string[] = [];
    RED.nodes.eachNode((n: { id: string }) => ids.push(n.id));
    RED.nodes.eachConfig((n: { id: string }) => ids.push(n.id));
    return ids;
  });
}

/** Drags a type from the palette onto the canvas and returns the id of the new node. */
export async function dragOntoCanvas(page: Page, type: string, x: number, y: number): Promise<string> {
  const before = new Set(await nodeIds(page));
  const source = paletteNode(page, type);
  await source.scrollIntoViewIfNeeded();
  await source.dragTo(page.locator('#red-ui-workspace-chart'), { targetPosition: { x, y } });
  const added = (await nodeIds(page)).filter((id) => !before.has(id));
  if (added.length !== 1) throw new Error(`dragging ${type} added ${added.length} nodes`);
  return added[0];
}

export function canvasNode(page: Page, id: string) {
  return page.locator(`#red-ui-workspace-chart g.red-ui-flow-node-group[id="${id}"] rect.red-ui-flow-node`);
}

export async function openEditDialog(page: Page, id: string): Promise<void> {
  await canvasNode(page, id).dblclick();
  await page.locator('#node-dialog-ok').waitFor({ state: 'visible' });
}

export async function saveEditDialog(page: Page): Promise<void> {
  await page.locator('#node-dialog-ok').click();
  await page.locator('#node-dialog-ok').waitFor({ state: 'detached' });
}

/** Opens a config node's own edit dialog (as from the Configuration nodes sidebar). */
export async function openConfigDialog(page: Page, id: string): Promise<void> {
  await page.evaluate((nodeId) => RED.editor.editConfig('', RED.nodes.node(nodeId).type, nodeId), id);
  await page.locator('#node-config-dialog-ok').waitFor({ state: 'visible' });
}

export async function saveConfigDialog(page: Page): Promise<void> {
  await page.locator('#node-config-dialog-ok').click();
  await page.locator('#node-config-dialog-ok').waitFor({ state: 'detached' });
}

/** Import > Examples > <module> > <label>, then a click to place the nodes. Returns the new node ids. */
export async function importExample(page: Page, moduleName: string, label: string): Promise<string[]> {
  const before = new Set(await nodeIds(page));
  await page.evaluate(() => RED.actions.invoke('core:show-examples-import-dialog'));
  // The examples tree is rendered twice (one copy hidden), hence :visible; Node-RED 5 also lists
  // examples outside the dialog, hence the dialog's own tree.
  const tree = page.locator('#red-ui-clipboard-dialog .red-ui-treeList-label-text:visible');
  await tree.filter({ hasText: moduleName }).first().click();
  await tree.filter({ hasText: label }).first().click();
  await page.locator('#red-ui-clipboard-dialog-ok').click();
  await page.locator('#red-ui-clipboard-dialog-ok').waitFor({ state: 'hidden' });
  // The imported nodes follow the mouse until a click drops them; this spot keeps the examples'
  // own layout (which starts near the top-left corner) fully in view.
  const chart = await page.locator('#red-ui-workspace-chart').boundingBox();
  if (!chart) throw new Error('the workspace is not visible');
  await page.mouse.move(chart.x + 110, chart.y + 60);
  await page.mouse.click(chart.x + 110, chart.y + 60);
  return (await nodeIds(page)).filter((id) => !before.has(id));
}

/** Clicks Deploy; fails with the editor's own words when it asks to confirm a flow with problems. */
export async function deploy(page: Page): Promise<void> {
  await page.locator('#red-ui-header-button-deploy').click();
  const confirm = page.locator('#red-ui-deploy-dialog-confirm-deploy-deploy');
  const deployed = page.locator('#red-ui-header-button-deploy.disabled');
  await Promise.race([confirm.waitFor({ state: 'visible' }), deployed.waitFor({ state: 'attached' })]);
  if (await confirm.isVisible()) {
    const message = await page.locator('.red-ui-notification:visible').last().innerText();
    throw new Error(`Deploy asked for confirmation: ${message}`);
  }
}

/** Scrolls the palette so that the category holding `type` is at the top. */
export async function showPaletteCategoryOf(page: Page, type: string): Promise<void> {
  await paletteNode(page, type).evaluate((el) => el.closest('.red-ui-palette-category')?.scrollIntoView());
}

export async function statusOf(page: Page, id: string): Promise<NodeStatus> {
  return page.evaluate((nodeId) => ({ ...(RED.nodes.node(nodeId)?.status ?? {}) }), id);
}

/** Menu > Export > all flows: the JSON the user would copy to the clipboard. */
export async function exportAllFlows(page: Page): Promise<string> {
  await page.evaluate(() => RED.actions.invoke('core:show-export-dialog'));
  await page.locator('#red-ui-clipboard-dialog-export-rng-full').click();
  const text = await page.locator('#red-ui-clipboard-dialog-export-text').inputValue();
  await page.locator('#red-ui-clipboard-dialog-cancel').click();
  return text;
}

/** Sets a dialog field whatever control it is: a select, a text input or a textarea. */
export async function setField(page: Page, selector: string, value: string): Promise<void> {
  const field = page.locator(selector);
  const tag = await field.evaluate((el) => el.tagName.toLowerCase());
  if (tag === 'select') await field.selectOption(value);
  else await field.fill(value);
}

/**
 * Types a value into a field (or picks it in a select) and answers what the editor says: '' when it
 * accepts the value, otherwise the reason its validator gives, read from the tooltip the red field
 * shows on hover ('(no reason given)' for a red field without one).
 */
export async function fieldVerdict(page: Page, selector: string, value: string): Promise<string> {
  const field = page.locator(selector);
  await setField(page, selector, value);
  await field.dispatchEvent('change');
  if (!(await field.evaluate((el) => el.classList.contains('input-error')))) return '';
  // The pointer is parked away from the dialog and the field is told it is hovered: a real pointer's
  // path can cross other popups (a host field's suggestion list) and leave the field early.
  await page.mouse.move(0, 0);
  await page.evaluate((sel) => $(sel).trigger('mouseenter'), selector);
  const tooltip = page.locator('.red-ui-popover:visible .red-ui-popover-content').last();
  try {
    await tooltip.waitFor({ state: 'visible', timeout: 3000 });
  } catch {
    return '(no reason given)';
  }
  const reason = (await tooltip.innerText()).trim();
  await page.evaluate((sel) => $(sel).trigger('mouseleave'), selector);
  await tooltip.waitFor({ state: 'hidden', timeout: 3000 });
  return reason;
}

/** What a node type's validator answers for a value of one of its properties (for fields a select fills). */
export async function validatorVerdict(page: Page, type: string, property: string, value: string): Promise<string> {
  return page.evaluate(
    ({ t, p, v }) => {
      const definition = RED.nodes.getType(t);
      const answer = definition.defaults[p].validate.call({ _: definition._ }, v, {});
      return answer === true ? '' : String(answer);
    },
    { t: type, p: property, v: value },
  );
}

/**
 * Message keys of the given namespaces shown as text in the open edit dialog: labels that the en-US
 * catalog does not define (the editor shows the bare key when a translation is missing).
 */
export async function untranslatedKeys(page: Page, namespaces: string[]): Promise<string[]> {
  const text = await page.locator('.red-ui-tray:visible .red-ui-tray-body').last().innerText();
  const placeholders = await page
    .locator('.red-ui-tray:visible [placeholder]')
    .evaluateAll((els) => els.map((el) => el.getAttribute('placeholder') ?? ''));
  const escaped = namespaces.map((n) => n.replace(/[.*+?^${}()|[\]\\]/g, '\\$&'));
  const keyLike = new RegExp(`\\b(?:${escaped.join('|')})(?:\\.[A-Za-z]\\w*)+`, 'g');
  return [text, ...placeholders].flatMap((t) => t.match(keyLike) ?? []);
}
