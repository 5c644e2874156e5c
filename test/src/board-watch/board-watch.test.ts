import { strict as assert } from 'assert';
import { EventEmitter } from 'events';
import { runBoardCheck } from '../../../src/bridge-check/board-check';
import { formatReport } from '../../../src/bridge-check/report';
import { BoardUpdate, BoardWatch, UPDATE_INTERVAL_MS, w1Id } from '../../../src/board-watch/board-watch';
import { liveReportText } from '../../../src/board-watch/live-report';
import { CycleResult } from '../../../src/onewire/bridge-client';
import { acquireBridgeSession, releaseBridgeSession } from '../../../src/onewire/bridge-session';
import { fail, readingFromMillidegrees } from '../../../src/onewire/reading';
import type { SensorSource } from '../../../src/onewire/sensor-source';
import { SharedPort, acquireSharedPort } from '../../../src/serial/shared-port';
import { openLink } from '../../../src/serial/serial-link';
import { waitUntil, waitUntilSteady } from '../../support/wait';
import { BRIDGE_HELLO, Script, ScriptedBridgeLink, cycleLine, errLine, sensorLine, tempLine } from '../bridge-check/scripted-bridge';

const A = '28-0316a27950ff';
const B = '10-000802b4a1c3';
const ENVIRONMENT = { packageName: 'pkg', packageVersion: '0.0.0', nodeVersion: 'v24.0.0', platform: 'linux x64' };

/** Two sensors; B's scratchpad fails its CRC on every other read. */
const bridge: Script = (command, n) => {
  if (command === 'hello') return [BRIDGE_HELLO];
  if (command === 'scan') return [sensorLine(A), sensorLine(B, 'DS18S20', 'parasite', 9), '{"type":"sensors","count":2}'];
  if (command === 'read')
    return n % 2 === 1
      ? [tempLine(A, 21437), errLine('crc', B), cycleLine(2, 1)]
      : [tempLine(A, 21500), tempLine(B, -500), cycleLine(2, 0)];
  return undefined;
};

/** The numbers that depend on how long things took. */
function withoutCycleTimes(report: string): string {
  return report.replace(/^(cycle time\s+).*$/m, '$1#');
}

class FakeW1Source extends EventEmitter {
  emitRead(ok: boolean): void {
    const outcome = ok ? readingFromMillidegrees(A, 20000, { timestamp: 1 }) : fail(A, 'no_device', 'the sensor did not answer');
    this.emit('read', { trigger: 'read', outcomes: [outcome] } satisfies CycleResult, 12);
  }
}

describe('board watch', () => {
  let port: SharedPort;
  let watch: BoardWatch;
  let forget: Array<() => void>;
  const path = `scripted:${Math.random()}`;

  beforeEach(() => {
    forget = [];
    watch = new BoardWatch();
    port = acquireSharedPort({ path, baudRate: 115200, createLink: (p) => new ScriptedBridgeLink(p, bridge) });
  });

  afterEach(async () => {
    for (const f of forget) f();
    watch.dispose();
    await port.releaseReference();
  });

  it('counts each sensor through the bridge session and reports as esp8266-bridge-check does for the same board', async () => {
    forget.push(watch.watchDevice({ id: 'dev1', name: 'greenhouse', port: path, reset: 'auto', sharedPort: port }));
    const session = acquireBridgeSession(port);
    try {
      await session.scan();
      await session.read();
      await session.read();
    } finally {
      releaseBridgeSession(session);
    }
    const record = watch.record('dev1');
    assert.ok(record);
    const rows = record.sensors.all;
    assert.deepEqual(
      rows.map((r) => [r.ident, r.model, r.clean, r.crc, r.lastCelsius]),
      [
        [A, 'DS18B20', 2, 0, 21.5],
        [B, 'DS18S20', 1, 1, -0.5],
      ],
    );
    assert.deepEqual(record.firmware, { name: 'ds18b20-bridge', version: '1.0.0', protocol: 1, pin: 4 });

    const link = new ScriptedBridgeLink(path, bridge);
    const checked = await runBoardCheck(
      { port: path, cycles: 2, flash: false, reset: 'auto', flashBaud: 460800 },
      {
        environment: ENVIRONMENT,
        openLink: async () => {
          await openLink(link);
          return link;
        },
        flashBridge: () => Promise.reject(new Error('no flash here')),
        progress: () => undefined,
        now: () => performance.now(),
      },
    );
    assert.equal(withoutCycleTimes(liveReportText(record, ENVIRONMENT)), withoutCycleTimes(formatReport(checked)));
  });

  it('shows the MAC the bridge says in its hello line, before any flash', async () => {
    const macPath = `scripted:${Math.random()}`;
    const withMac: Script = (command, n) =>
      command === 'hello' ? [`${BRIDGE_HELLO.slice(0, -1)},"mac":"18:fe:34:a1:b2:5c"}`] : bridge(command, n);
    const macPort = acquireSharedPort({ path: macPath, baudRate: 115200, createLink: (p) => new ScriptedBridgeLink(p, withMac) });
    try {
      forget.push(watch.watchDevice({ id: 'dev2', name: 'cellar', port: macPath, reset: 'auto', sharedPort: macPort }));
      const session = acquireBridgeSession(macPort);
      try {
        await session.scan();
      } finally {
        releaseBridgeSession(session);
      }
      assert.equal(watch.record('dev2')?.view().mac, '18:fe:34:a1:b2:5c');
      assert.equal(watch.record('dev1'), undefined);
    } finally {
      await macPort.releaseReference();
    }
  });

  it('sends nothing while nobody watches, but still counts', async () => {
    const published: unknown[] = [];
    watch.publish = (update) => published.push(update);
    const source = new FakeW1Source();
    forget.push(
      watch.watchReadNode({
        source: 'w1',
        w1Path: '/w1',
        sensors: [{ ident: A, name: 'attic' }],
        sensorSource: source as unknown as SensorSource,
      }),
    );
    for (let i = 0; i < 5; i++) source.emitRead(i !== 2);
    await waitUntilSteady(() => published.length, 2 * UPDATE_INTERVAL_MS, 2000, 'updates');
    assert.equal(published.length, 0);
    const row = watch.record(w1Id('/w1'))?.sensors.all[0];
    assert.deepEqual([row?.name, row?.clean, row?.vanished], ['attic', 4, 1]);
  });

  it('batches the updates of one board to at most one per 250 ms while the tab is open', async () => {
    const published: Array<{ update: BoardUpdate; at: number }> = [];
    watch.publish = (update) => published.push({ update: update as BoardUpdate, at: performance.now() });
    watch.setWatched(true);
    const source = new FakeW1Source();
    forget.push(watch.watchReadNode({ source: 'w1', w1Path: '/w1', sensors: [], sensorSource: source as unknown as SensorSource }));
    const started = performance.now();
    while (performance.now() - started < 600) {
      source.emitRead(true);
      await new Promise((resolve) => setImmediate(resolve));
    }
    await waitUntilSteady(() => published.length, 2 * UPDATE_INTERVAL_MS, 3000, 'updates');
    const gaps = published.slice(1).map((p, i) => p.at - published[i].at);
    assert.ok(published.length >= 2 && published.length <= 4, `${published.length} updates`);
    assert.ok(
      gaps.every((gap) => gap >= UPDATE_INTERVAL_MS - 5),
      `gaps ${gaps.join(', ')}`,
    );
    const last = published[published.length - 1].update.board.sensors[0];
    assert.ok(last.clean > 100, `the last update carries the latest count (${last.clean})`);
  });

  it('shows a port the system refuses as no permission', async () => {
    const refusedPath = `refused:${Math.random()}`;
    const refused = acquireSharedPort({
      path: refusedPath,
      baudRate: 115200,
      createLink: (p) =>
        Object.assign(new ScriptedBridgeLink(p, bridge), { failOpenWith: new Error(`Error: EACCES: permission denied, cannot open ${p}`) }),
    });
    forget.push(watch.watchDevice({ id: 'dev3', name: '', port: refusedPath, reset: 'auto', sharedPort: refused }));
    const session = acquireBridgeSession(refused);
    try {
      await waitUntil(() => watch.record('dev3')?.state === 'no-permission', 3000, 'the no-permission state');
      assert.match(watch.record('dev3')?.detail ?? '', /EACCES/);
    } finally {
      releaseBridgeSession(session);
      await refused.releaseReference();
    }
  });

  it('says when a board goes away while the tab is open', async () => {
    const published: unknown[] = [];
    watch.publish = (update) => published.push(update);
    watch.setWatched(true);
    const unwatch = watch.watchDevice({ id: 'dev2', name: '', port: path, reset: 'auto', sharedPort: port });
    await waitUntil(() => published.length > 0, 2000, 'the first update');
    unwatch();
    assert.deepEqual(published[published.length - 1], { removed: 'dev2' });
  });
});
