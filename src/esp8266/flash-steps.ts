// The steps of a flash, in order, as a caller timing them sees them begin. Steps that do not apply
// (a baud change when the ROM already speaks the flash rate, a comparison that is turned off) still
// begin, and end at once. A read of the flash goes from flash-detection to 'read', then 'restart'.
export type FlashStep =
  'reset-sync' | 'stub-upload' | 'baud-change' | 'flash-detection' | 'compare' | 'backup' | 'write' | 'md5' | 'read' | 'restart';

export const FLASH_STEPS: readonly FlashStep[] = [
  'reset-sync',
  'stub-upload',
  'baud-change',
  'flash-detection',
  'compare',
  'backup',
  'write',
  'md5',
  'restart',
];
