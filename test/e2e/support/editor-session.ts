// Debian's chromium on the editor of a Node-RED process started for one test file.
import { Browser, Page } from 'playwright-core';
import { launchChromium } from './browser';
import { openEditor } from './editor';
import { NodeRedProcess, StartOptions, startNodeRed } from './node-red-process';

export interface EditorSession {
  nodeRed: NodeRedProcess;
  page: Page;
  /** Closes the browser and stops Node-RED. */
  close(): Promise<void>;
}

export async function openEditorSession(options: StartOptions = {}): Promise<EditorSession> {
  const browser: Browser = await launchChromium();
  let nodeRed: NodeRedProcess | undefined;
  const close = async () => {
    await browser.close();
    await nodeRed?.stop();
  };
  try {
    nodeRed = await startNodeRed(options);
    const page = await browser.newPage({ viewport: { width: 1400, height: 900 } });
    await openEditor(page, nodeRed.baseUrl);
    return { nodeRed, page, close };
  } catch (error) {
    await close();
    throw error;
  }
}
