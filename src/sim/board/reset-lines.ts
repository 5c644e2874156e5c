// The auto-reset circuit of NodeMCU / Wemos D1 mini boards: two cross-coupled transistors between the
// USB-UART's DTR/RTS outputs and the chip's EN and GPIO0 pins (esptool docs, boot-mode-selection.rst,
// "Automatic Bootloader"). A line that is asserted (true) drives its transistor; the pins are
// active-low, so EN is pulled low only while RTS is asserted without DTR, and GPIO0 only while DTR is
// asserted without RTS. Both asserted together changes nothing.

export interface ControlLines {
  dtr: boolean;
  rts: boolean;
}

export interface ChipPins {
  /** Chip enable; low holds the chip in reset. */
  en: boolean;
  /** GPIO0 strap; sampled when EN rises: low selects the UART download mode. */
  io0: boolean;
}

export function pinsFromControlLines({ dtr, rts }: ControlLines): ChipPins {
  return { en: !(rts && !dtr), io0: !(dtr && !rts) };
}
