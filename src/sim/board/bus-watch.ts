import type { Peripheral, PeripheralMapping } from '../cpu/peripheral';
import { ROM, contains } from '../cpu/memory-map';
import { UART_FIFO_DEPTH, UART_REG, type Uart } from '../peripherals/uart';

/**
 * What the chip's run loop needs to see on the peripheral bus, with every device behind it unchanged:
 *
 * - **Polling that cannot see a change.** A program that reads UART0's STATUS and gets the value it
 *   got at its previous access to any device is spinning: waiting for a byte from the host or for
 *   room in the TX FIFO. Nothing it can observe on the bus changes before the UART's next TX event,
 *   the end of the current slice (host bytes arrive between slices) or the next timer event, so
 *   `skipTo` moves time there. The program runs every instruction it would; only the spin is shorter
 *   in host time, and a program timing itself by CCOUNT sees the poll take longer.
 * - **The ROM's UART writes wait for room.** The mask ROM's own printing (its boot text,
 *   ets_printf) spins until the TX FIFO has room, where a program storing into a full FIFO loses the
 *   byte. A FIFO store made while the PC is in the ROM therefore lets time pass until a byte left.
 */
export interface BusWatchHooks {
  /** The CPU's program counter and cycle count now. */
  pc(): number;
  cycles(): number;
  /** Moves the CPU's time forward to `cycle` (never back). */
  skipTo(cycle: number): void;
  /** The cycle at which the run loop must look at something else anyway (slice end, timer). */
  horizon(): number;
}

export function watchBus(mappings: PeripheralMapping[], uart: Uart, hooks: BusWatchHooks): PeripheralMapping[] {
  let lastStatus: number | undefined;
  const other = (device: Peripheral): Peripheral => ({
    name: device.name,
    read32: (offset, cycle) => {
      lastStatus = undefined;
      return device.read32(offset, cycle);
    },
    write32: (offset, value, cycle) => {
      lastStatus = undefined;
      device.write32(offset, value, cycle);
    },
  });
  const watchedUart: Peripheral = {
    name: uart.name,
    read32: (offset, cycle) => {
      const value = uart.read32(offset, cycle);
      if (offset !== UART_REG.STATUS) {
        lastStatus = undefined;
        return value;
      }
      if (value === lastStatus) {
        const next = Math.min(uart.nextEventCycle() ?? Infinity, hooks.horizon());
        if (next > cycle && next !== Infinity) hooks.skipTo(Math.ceil(next));
      }
      lastStatus = value;
      return value;
    },
    write32: (offset, value) => {
      lastStatus = undefined;
      if (offset === UART_REG.FIFO && contains(ROM, hooks.pc())) waitForRoom(uart, hooks);
      uart.write32(offset, value, hooks.cycles());
    },
  };
  return mappings.map((m) => ({ ...m, device: m.device === uart ? watchedUart : other(m.device) }));
}

function waitForRoom(uart: Uart, hooks: BusWatchHooks): void {
  for (;;) {
    const used = (uart.read32(UART_REG.STATUS, hooks.cycles()) >>> 16) & 0xff;
    const next = uart.nextEventCycle();
    if (used < UART_FIFO_DEPTH || next === null) return;
    hooks.skipTo(Math.ceil(next));
  }
}
