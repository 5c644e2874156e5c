// A flash on a port that other users share: the image is checked before they are paused, the port
// is taken exclusively for the flash and given back whatever happens.
import { PortInUseError, SharedPort } from '../serial/shared-port';
import { FlashError } from './flash-errors';
import { FlashRequest, FlashResult, flashImage, prepareImage } from './flasher';

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
    return await flashImage({ ...request, path: port.path });
  } finally {
    await lease.release();
  }
}
