// Firmware the virtual board knows how to run. A booted image that no kind matches runs nothing.
import type { ApplicationKind } from './application';
import { bridgeApplicationKind } from './bridge/bridge-kind';

export const applicationKinds: ApplicationKind[] = [bridgeApplicationKind];
