// Writes the bundled bridge firmware for a check, and keeps what the flash learnt about the board.
import { loadFirmware } from '../esp8266/firmware-source';
import { FlashProgress, flashImage } from '../esp8266/flasher';
import { createSerialLink } from '../serial/open-port';
import type { CheckOptions } from './arguments';
import type { FlashSummary } from './report';

export async function flashBundledBridge(
  options: Pick<CheckOptions, 'port' | 'reset' | 'flashBaud'>,
  onProgress: (progress: FlashProgress) => void,
): Promise<FlashSummary> {
  const image = await loadFirmware({ source: 'bundled' });
  const result = await flashImage({
    path: options.port,
    image,
    createLink: createSerialLink,
    flashBaudRate: options.flashBaud,
    reset: options.reset,
    onProgress,
  });
  return {
    chip: result.chip,
    mac: result.mac,
    flashId: result.flashId,
    flashSize: result.flashSize,
    bytesWritten: result.bytesWritten,
    durationMs: result.durationMs,
    flashBaudRate: result.flashBaudRate,
    restarted: result.restarted,
  };
}
