// Flasher stubs the virtual board recognises when a client jumps into code it uploaded to RAM.
// Entry points: esptool-js 0.7 lib/targets/stub_flasher/esp8266.json (esp-flasher-stub, text_start
// 0x4010c500, entry 0x4010c504) and Python esptool's esptool/targets/stub_flasher/1/esp8266.json
// (the legacy stub of esptool up to v4: text_start 0x4010d000, entry 0x4010d004).
import type { StubGeneration } from './flasher-stub';

export interface KnownStub {
  generation: StubGeneration;
  entry: number;
}

export const knownStubs: readonly KnownStub[] = [
  { generation: 'esp-flasher-stub', entry: 0x4010c504 },
  { generation: 'legacy', entry: 0x4010d004 },
];

/** The stub whose entry point was uploaded and is jumped to, if any. */
export function recogniseStub(entry: number, ram: ReadonlyMap<number, Uint8Array>): KnownStub | undefined {
  const uploaded = [...ram].some(([address, bytes]) => entry >= address && entry < address + bytes.length);
  return uploaded ? knownStubs.find((stub) => stub.entry === entry) : undefined;
}
