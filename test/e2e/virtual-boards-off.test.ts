// A production server with `sim:` ports turned off in settings.js: the device dialog refuses a sim:
// port with the words the runtime uses, while a real port path stays accepted.
import { strict as assert } from 'assert';
import { dragOntoCanvas, fieldVerdict, openEditDialog } from './support/editor';
import { EditorSession, openEditorSession } from './support/editor-session';

declare const RED: any; // the editor's globals, only touched inside page.evaluate

describe('editor on a server with virtual boards turned off', function () {
  this.timeout(60000);
  let session: EditorSession | undefined;
  before(async () => {
    session = await openEditorSession({ settings: { esp8266DeviceVirtualBoards: false } });
  });
  after(async () => {
    await session?.close();
  });

  it('the device dialog marks a sim: port red with the reason, and takes a real port', async function () {
    const page = session!.page;
    assert.equal(await page.evaluate(() => RED.settings.esp8266DeviceVirtualBoards), false, 'the setting reaches the editor');
    const id = await dragOntoCanvas(page, 'esp8266-flash', 200, 200);
    await openEditDialog(page, id);
    await page.locator('#node-input-btn-device-add').click();
    await page.locator('#node-config-dialog-ok').waitFor({ state: 'visible' });
    const verdicts = [
      await fieldVerdict(page, '#node-config-input-port', 'sim:kitchen'),
      await fieldVerdict(page, '#node-config-input-port', '/dev/ttyUSB0'),
    ];
    assert.deepEqual(verdicts, [
      'Serial port: sim: ports (virtual boards) are turned off on this server (esp8266DeviceVirtualBoards in settings.js)',
      '',
    ]);
  });
});
