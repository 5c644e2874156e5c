// DTR/RTS sequences for boards with the two-transistor auto-reset circuit (NodeMCU, Wemos D1 mini):
// RTS asserted alone pulls EN low (reset), DTR asserted alone pulls GPIO0 low (download mode);
// equal lines leave both pins high. (Espressif esptool docs, "boot-mode-selection", automatic bootloader.)

export interface ControlLinePort {
  setSignals(signals: { dataTerminalReady: boolean; requestToSend: boolean }): Promise<void>;
}

export type Sleep = (ms: number) => Promise<void>;
export const sleep: Sleep = (ms) => new Promise((resolve) => setTimeout(resolve, ms));

/** How long EN is held low; the same 100 ms esptool uses. */
export const RESET_HOLD_MS = 100;
/** GPIO0 is held low this long after EN rises (esptool alternates 50 ms and 550 ms). */
export const BOOTLOADER_DELAYS_MS = [50, 550] as const;

/**
 * Reset into the ROM serial loader: hold EN low, release it while GPIO0 is low, then release
 * GPIO0. Both lines are always set together so no intermediate state reaches the board.
 */
export async function resetIntoBootloader(
  port: ControlLinePort,
  gpio0HoldMs: number = BOOTLOADER_DELAYS_MS[0],
  wait: Sleep = sleep,
): Promise<void> {
  await port.setSignals({ dataTerminalReady: false, requestToSend: true });
  await wait(RESET_HOLD_MS);
  await port.setSignals({ dataTerminalReady: true, requestToSend: false });
  await wait(gpio0HoldMs);
  await port.setSignals({ dataTerminalReady: false, requestToSend: false });
}

/** Pulse EN with GPIO0 high, so the board boots what is in flash. */
export async function hardReset(port: ControlLinePort, wait: Sleep = sleep): Promise<void> {
  await port.setSignals({ dataTerminalReady: false, requestToSend: true });
  await wait(RESET_HOLD_MS);
  await port.setSignals({ dataTerminalReady: false, requestToSend: false });
}
