// A flash or a read on a port that other users share: the request is checked before they are paused,
// the port is taken exclusively for the work and given back whatever happens.
import { EventEmitter } from 'node:events';
import { PortInUseError, SharedPort } from '../serial/shared-port';
import { FlashError } from './flash-errors';
import { ReadRequest, ReadResult, checkReadSpan, readFlash } from './flash-read';
import { FlashRequest, FlashResult, flashImage, prepareImage } from './flasher';

/**
 * For observers such as the editor's board sidebar: 'progress' (SharedPort, FlashProgress), then 'done'
 * (SharedPort, FlashResult) or 'failed' (SharedPort, Error), for every flash on a shared port.
 */
export const sharedPortFlashEvents = new EventEmitter();

async function withExclusivePort<T>(port: SharedPort, work: () => Promise<T>): Promise<T> {
  let lease;
  try {
    lease = await port.acquireExclusive();
  } catch (error) {
    if (error instanceof PortInUseError) throw new FlashError('already-flashing', error.message, error);
    throw error;
  }
  try {
    return await work();
  } finally {
    await lease.release();
  }
}

export async function flashOnSharedPort(port: SharedPort, request: Omit<FlashRequest, 'path'>): Promise<FlashResult> {
  prepareImage(request.image, request.flashParams, request.offset);
  return withExclusivePort(port, async () => {
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
    }
  });
}

export async function readOnSharedPort(port: SharedPort, request: Omit<ReadRequest, 'path'>): Promise<ReadResult> {
  checkReadSpan(request.address ?? 0, request.size);
  return withExclusivePort(port, () => readFlash({ ...request, path: port.path }));
}
