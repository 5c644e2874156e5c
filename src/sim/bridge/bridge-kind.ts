import type { ApplicationHost, ApplicationKind } from '../application';
import type { FlashReader } from '../nor-flash';
import { BRIDGE_FIRMWARE_NAME } from '../../onewire/bridge-protocol';
import { BridgeApplication } from './bridge-application';
import { SimulatedBus, SimulatedBusOptions } from './simulated-bus';

/**
 * The bridge firmware as a virtual-board application. An image is the bridge when it contains the ASCII
 * firmware name (it is in the hello line, so the real image always carries it).
 *
 * Each virtual board has its own simulated 1-Wire bus, found through the board's flash (the one object the
 * board hands its application that lives as long as the board). The bus outlives reboots and reflashes,
 * like sensors wired to a real board.
 */

const NAME_BYTES = Buffer.from(BRIDGE_FIRMWARE_NAME, 'latin1');
const buses = new WeakMap<FlashReader, SimulatedBus>();
let defaults: SimulatedBusOptions = {};

/** The simulated bus of the board that owns `flash` (created with the defaults on first use). */
export function simulatedBusFor(flash: FlashReader): SimulatedBus {
  let bus = buses.get(flash);
  if (!bus) {
    bus = new SimulatedBus(defaults);
    buses.set(flash, bus);
  }
  return bus;
}

/** Replaces the bus of the board that owns `flash` (tests, demo). */
export function setSimulatedBus(flash: FlashReader, options: SimulatedBusOptions): SimulatedBus {
  const bus = new SimulatedBus(options);
  buses.set(flash, bus);
  return bus;
}

/** Options for the buses of boards that have none yet. */
export function setDefaultSimulatedBus(options: SimulatedBusOptions): void {
  defaults = options;
}

export const bridgeApplicationKind: ApplicationKind = {
  name: BRIDGE_FIRMWARE_NAME,
  baud: 115200,
  matches: (image) => Buffer.from(image.buffer, image.byteOffset, image.byteLength).includes(NAME_BYTES),
  start: (host: ApplicationHost) => new BridgeApplication(host, simulatedBusFor(host.flash)),
};
