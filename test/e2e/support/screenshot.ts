import * as fs from 'fs';
import * as os from 'os';
import * as path from 'path';
import { PACKAGE_ROOT } from '../../package/package-layout';

/**
 * Where a browser test saves its picture of the editor. The pictures in docs/images are
 * tracked, so a test run leaves them alone unless UPDATE_DOC_IMAGES=1 asks for new ones.
 */
export function screenshotPath(name: string): string {
  const dir =
    process.env.UPDATE_DOC_IMAGES === '1'
      ? path.join(PACKAGE_ROOT, 'docs', 'images')
      : fs.mkdtempSync(path.join(os.tmpdir(), 'editor-pictures-'));
  fs.mkdirSync(dir, { recursive: true });
  return path.join(dir, name);
}
