// Each assumption src/esp8266/esptool-adapter.ts makes about esptool-js's internals, checked against the
// installed esptool-js and named in the failure, so that an upgrade which breaks one says which.
import assert from 'node:assert/strict';
import { createEsptoolLoader, limitSyncs } from '../../../src/esp8266/esptool-adapter';
import '../../../src/virtual-ports';
import { createSerialLink } from '../../../src/serial/open-port';
import { WebSerialAdapter } from '../../../src/serial/web-serial-adapter';
import { getVirtualBoard, resetVirtualBoards } from '../../../src/sim/host/registry';
import { waitUntil } from '../../support/wait';

const assumption = (name: string, what: string) => `esptool-js assumption "${name}" (src/esp8266/esptool-adapter.ts): ${what}`;

/** A Web-Serial-like device whose incoming bytes the test pushes. */
function pushableDevice() {
  let push: ((bytes: Uint8Array) => void) | undefined;
  let end: (() => void) | undefined;
  const readable = new ReadableStream<Uint8Array>({
    start(controller) {
      push = (bytes) => controller.enqueue(bytes);
      end = () => controller.close();
    },
  });
  return { device: { readable, writable: null, getInfo: () => ({}) }, push: (bytes: Uint8Array) => push?.(bytes), end: () => end?.() };
}

/** Counts the calls the loader makes to its own `method` (an instance property shadowing the prototype's). */
function countCalls(loader: object, method: string): { calls: number } {
  const target = loader as Record<string, (...args: unknown[]) => unknown>;
  const original = target[method].bind(loader);
  const counter = { calls: 0 };
  target[method] = (...args) => {
    counter.calls++;
    return original(...args);
  };
  return counter;
}

describe('esptool-js adapter: the assumptions it makes about esptool-js', () => {
  let adapter: WebSerialAdapter | undefined;

  afterEach(async () => {
    await adapter?.close();
    adapter = undefined;
    resetVirtualBoards();
  });

  async function loaderOnBoard(name: string, baudRate = 115200) {
    getVirtualBoard(name);
    adapter = new WebSerialAdapter((baud) => createSerialLink(`sim:${name}`, baud));
    return (await createEsptoolLoader({ adapter, baudRate, romBaudRate: 115200, log: () => undefined })).loader;
  }

  it('transport-buffer: Transport keeps received bytes in its own `buffer` property, which readLoop assigns and read() takes from', async () => {
    const esptool = await import('esptool-js');
    const { device, push, end } = pushableDevice();
    const transport = new esptool.Transport(device as unknown as SerialPort, false);
    transport.trace = () => undefined; // Transport traces to the console whatever `tracing` says
    const own = Object.getOwnPropertyDescriptor(transport, 'buffer');
    assert.ok(
      own && own.value instanceof Uint8Array,
      assumption('transport-buffer', 'a Transport has an own data property `buffer` holding a Uint8Array'),
    );

    let stored: Uint8Array = own.value;
    const assigned: number[] = [];
    Object.defineProperty(transport, 'buffer', {
      get: () => stored,
      set: (bytes: Uint8Array) => {
        stored = bytes;
        assigned.push(bytes.length);
      },
    });
    const loop = transport.readLoop();
    push(Uint8Array.of(0xc0, 1, 2, 3, 0xc0));
    await waitUntil(
      () => assigned.includes(5),
      2000,
      assumption('transport-buffer', 'readLoop to assign `buffer` with the bytes that arrived'),
    );
    assert.equal(transport.inWaiting(), 5, assumption('transport-buffer', 'inWaiting() counts the bytes in `buffer`'));
    assert.deepEqual(
      [...(await transport.read(1000))],
      [1, 2, 3],
      assumption('transport-buffer', 'read() takes its SLIP packet from `buffer`'),
    );
    end();
    await loop;
  });

  it('identify-chip: connect() identifies the chip by calling `identifyChip()` on the loader and keeps what it returns', async () => {
    const esptool = await import('esptool-js');
    const prototype = esptool.ESPLoader.prototype as unknown as { identifyChip?: unknown };
    assert.equal(typeof prototype.identifyChip, 'function', assumption('identify-chip', 'ESPLoader has a method `identifyChip`'));

    const loader = await loaderOnBoard('assume-identify');
    const identify = countCalls(loader, 'identifyChip');
    await loader.connect('default_reset', 2, true);
    assert.equal(identify.calls, 1, assumption('identify-chip', 'connect(…, detecting = true) calls `this.identifyChip()` once'));
    assert.equal(
      loader.chip.CHIP_NAME,
      'ESP8266',
      assumption('identify-chip', 'connect() stores the ROM `identifyChip()` returns as `loader.chip`'),
    );
  });

  it("esp8266-target: the deep path lib/targets/esp8266.js exports the ESP8266ROM class esptool-js's own detection returns", async () => {
    const target = await import('esptool-js/lib/targets/esp8266.js');
    assert.equal(
      typeof target.ESP8266ROM,
      'function',
      assumption('esp8266-target', '`esptool-js/lib/targets/esp8266.js` exports ESP8266ROM'),
    );
    assert.equal(new target.ESP8266ROM().CHIP_NAME, 'ESP8266', assumption('esp8266-target', 'an ESP8266ROM names its chip "ESP8266"'));

    const esptool = await import('esptool-js');
    const loader = await loaderOnBoard('assume-target');
    await loader.connect('default_reset', 2, false);
    const prototype = esptool.ESPLoader.prototype as unknown as { identifyChip: (this: unknown) => Promise<unknown> };
    const chip = await prototype.identifyChip.call(loader);
    assert.ok(
      chip instanceof target.ESP8266ROM,
      assumption('esp8266-target', "esptool-js's own identifyChip() returns an instance of that same class for an ESP8266"),
    );
  });

  it('sync-per-attempt: connect() sends every SYNC through `this.sync()`, so limiting it on the instance ends the attempt', async () => {
    const loader = await loaderOnBoard('assume-sync');
    const sync = countCalls(loader, 'sync');
    await loader.connect('default_reset', 1, false);
    assert.ok(sync.calls >= 1, assumption('sync-per-attempt', 'connect() calls `this.sync()` to sync'));
    await adapter?.close();

    const limited = await loaderOnBoard('assume-sync-limited');
    limitSyncs(limited, 0);
    await assert.rejects(
      limited.connect('default_reset', 1, false),
      /failed to connect/i,
      assumption('sync-per-attempt', 'connect() fails when `this.sync()` rejects every SYNC'),
    );
  });

  it('reset-object: esptool-js uses only `reset()` of what a reset constructor returns', async () => {
    const esptool = await import('esptool-js');
    const { device } = pushableDevice();
    let resets = 0;
    const loader = new esptool.ESPLoader({
      transport: new esptool.Transport(device as unknown as SerialPort, false),
      baudrate: 115200,
      terminal: { clean: () => undefined, write: () => undefined, writeLine: () => undefined },
      resetConstructors: {
        hardReset: () =>
          ({
            reset: async () => {
              resets++;
            },
          }) as unknown as InstanceType<typeof esptool.HardReset>,
      },
    });
    await loader.after('hard_reset', false);
    assert.equal(resets, 1, assumption('reset-object', 'after("hard_reset") calls reset() on the object hardReset returns'));
  });

  it('transport-baudrate: `transport.baudrate` is the rate the line runs at after a baud change', async () => {
    const loader = await loaderOnBoard('assume-baud', 460800);
    await loader.main();
    assert.equal(
      loader.transport.baudrate,
      460800,
      assumption('transport-baudrate', 'changeBaud() leaves `transport.baudrate` at the new rate'),
    );
  });
});
