// A flash on a port that other users share: the image is checked before they are paused, the port
// is taken exclusively for the flash and given back whatever happens.
import { EventEmitter } from 'node:events';
import { PortInUseError, SharedPort } from '../serial/shared-port';
import { FlashError } from './flash-errors';
import { FlashRequest, FlashResult, flashImage, prepareImage } from './flasher';

/**
 * For observers such as the editor's board sidebar: 'progress' (SharedPort, FlashProgress), then 'done'
 * (SharedPort, FlashResult) or 'failed' (SharedPort, Error), for every flash on a shared port.
 */
export const sharedPortFlashEvents = new EventEmitter();

export async function flashOnSharedPort(port: SharedPort, request: Omit<FlashRequest, 'path'>): Promise<FlashResult> {
  prepareImage(request.image, request.flashParams);
  let lease;
  try {
    lease = await port.acquireExclusive();
  } catch (error) {
    if (error instanceof PortInUseError) throw new FlashError('already-flashing', error.message, error);
    throw error;
  }
  try {
    const result = await flashImage({
      ...request,
      path: port.path,
      onProgress: (progress) => {
        sharedPortFlashEvents.emit('progress', port, progress);
        request.onProgress?.(progress);
      },
    });
    sharedPortFlashEvents.emit('done', port, result);
    return result;
  } catch (error) {
    sharedPortFlashEvents.emit('failed', port, error);
    throw error;
  } finally {
    await lease.release();
  }
}
