// Loaded with `node --require` into the Node-RED process of the sidebar tests, and into the
// esp8266-bridge-check run they compare with: the same virtual boards, made before anything opens them.
import { readFileSync } from 'fs';
import { BUNDLED_FIRMWARE_PATH } from '../../../src/esp8266/firmware-source';
import { getVirtualBoard } from '../../../src/sim/host/registry';

/** Runs the bridge; one of its two sensors sends every scratchpad with a wrong CRC. */
export const FAILING_BOARD = 'sidebar-failing';
/** Erased flash, so the bridge must be written first. */
export const FRESH_BOARD = 'sidebar-fresh';
export const GOOD_SENSOR = '28-0000000a0b01';
export const CRC_SENSOR = '28-0000000a0b02';
export const FRESH_SENSORS = ['28-0000000c0d01', '28-0000000c0d02'];

getVirtualBoard(FAILING_BOARD, {
  firmware: readFileSync(BUNDLED_FIRMWARE_PATH),
  sensors: {
    sensors: [
      { ident: GOOD_SENSOR, temperature: 19.5 },
      { ident: CRC_SENSOR, temperature: 30, fault: 'crc' },
    ],
  },
});
getVirtualBoard(FRESH_BOARD, {
  sensors: {
    sensors: [
      { ident: FRESH_SENSORS[0], temperature: 22.25 },
      { ident: FRESH_SENSORS[1], temperature: 5.5, power: 'parasite' },
    ],
  },
});
