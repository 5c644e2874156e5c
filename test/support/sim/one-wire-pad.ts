import type { OneWireBus } from '../../../src/sim/onewire/onewire-bus';
import type { PadWire } from '../../../src/sim/peripherals/pad-wire';

/** The 1-Wire line as seen from the pad it is wired to: the pad is the bus master. */
export function oneWirePad(bus: OneWireBus): PadWire {
  return {
    drive: (state, us) => bus.setDrive(state, us),
    level: (us) => bus.sample(us),
  };
}
