import assert from 'node:assert/strict';
import { execFile } from 'node:child_process';
import path from 'node:path';
import { promisify } from 'node:util';
import type { ListedPort } from '../../../src/serial/list-ports';
import { isPortProviderLoaded, listProvidedPorts, portProviderFor, registerPortProvider } from '../../../src/serial/port-providers';
import type { SerialLink } from '../../../src/serial/serial-link';

const run = promisify(execFile);
const distRoot = path.resolve(__dirname, '..', '..', '..');

describe('serial port providers', () => {
  it('loads a provider once, on the first path with its prefix, and lists only loaded providers', async () => {
    let loads = 0;
    const ports: ListedPort[] = [{ path: 'fake:one' }];
    registerPortProvider({
      prefix: 'fake:',
      load: () => {
        loads += 1;
        return { createLink: (p: string) => ({ path: p }) as unknown as SerialLink, list: () => Promise.resolve(ports) };
      },
    });
    assert.equal(isPortProviderLoaded('fake:'), false);
    assert.equal(
      (await listProvidedPorts()).some((p) => p.path === 'fake:one'),
      false,
      'listing must not load a provider',
    );
    assert.equal(portProviderFor('/dev/ttyUSB0'), undefined);
    const provider = portProviderFor('fake:a');
    assert.ok(provider);
    assert.equal((provider.createLink('fake:a', 115200) as unknown as { path: string }).path, 'fake:a');
    portProviderFor('fake:b');
    assert.equal(loads, 1);
    assert.ok((await listProvidedPorts()).some((p) => p.path === 'fake:one'));
  });

  it('refuses an empty prefix', () => {
    assert.throws(
      () =>
        registerPortProvider({
          prefix: '',
          load: () => {
            throw new Error('never');
          },
        }),
      /non-empty/,
    );
  });

  it('loading every node and the serial layer loads no virtual-board code until a sim: path is used', async () => {
    // A fresh process, so modules other tests loaded do not count.
    const script = `
      const path = require('path');
      const root = ${JSON.stringify(distRoot)};
      const simDir = path.join(root, 'src', 'sim') + path.sep;
      const simLoaded = () => Object.keys(require.cache).filter((f) => f.startsWith(simDir)).map((f) => path.relative(simDir, f));
      for (const type of ['esp8266-device', 'esp8266-flash', 'ds18b20-read', 'flespi-broker', 'flespi-mqtts-out']) {
        require(path.join(root, 'nodes', type, type + '.js'));
      }
      const openPort = require(path.join(root, 'src', 'serial', 'open-port.js'));
      const before = simLoaded();
      openPort.createSerialLink('sim:lazy', 115200);
      console.log(JSON.stringify({ before, after: simLoaded() }));
    `;
    const { stdout } = await run(process.execPath, ['-e', script]);
    const { before, after } = JSON.parse(stdout.trim().split('\n').pop() ?? '{}') as { before: string[]; after: string[] };
    assert.deepEqual(
      before.filter((f) => f !== path.join('host', 'prefix.js')),
      [],
      `virtual-board modules loaded at start: ${before.join(', ')}`,
    );
    assert.ok(after.includes(path.join('board', 'board.js')), `a sim: path should load the board, loaded: ${after.join(', ')}`);
  });
});
