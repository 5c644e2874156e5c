// Writes the bundled bridge firmware for a check, and keeps what the flash learnt about the board.
import { backupToFile } from '../esp8266/flash-backup';
import { loadFirmware } from '../esp8266/firmware-source';
import { FlashProgress, flashImage } from '../esp8266/flasher';
import { createSerialLink } from '../serial/open-port';
import type { CheckOptions } from './arguments';
import { FlashSummary, flashSummary } from './report';

export async function flashBundledBridge(
  options: Pick<CheckOptions, 'port' | 'reset' | 'flashBaud' | 'backup'>,
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
    backup: options.backup === undefined ? undefined : backupToFile(options.backup),
  });
  return { ...flashSummary(result), backupFiles: result.backupFiles };
}
