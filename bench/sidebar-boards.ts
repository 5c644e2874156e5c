// Loaded with `node --require` into the Node-RED process of the sidebar benchmark: ten virtual boards
// running the bridge, each with the two default sensors.
import { readFileSync } from 'fs';
import { BUNDLED_FIRMWARE_PATH } from '../src/esp8266/firmware-source';
import { getVirtualBoard } from '../src/sim/host/registry';

export const BENCH_BOARDS = 10;

const image = readFileSync(BUNDLED_FIRMWARE_PATH);
for (let i = 0; i < BENCH_BOARDS; i++) getVirtualBoard(`sidebar-bench-${i}`, { firmware: image });
