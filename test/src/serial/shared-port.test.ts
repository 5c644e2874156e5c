import assert from 'node:assert/strict';
import { once, EventEmitter } from 'node:events';
import * as fs from 'node:fs';
import * as os from 'node:os';
import * as path from 'node:path';
import {
  PortInUseError,
  PortUnavailableError,
  SharedPort,
  SharedPortListener,
  acquireSharedPort,
  findSharedPort,
} from '../../../src/serial/shared-port';
import { FakeLink } from './fake-link';
import { waitUntil, waitUntilSteady } from '../../support/wait';

class FakePorts {
  readonly links: FakeLink[] = [];
  unplugged = false;
  readonly create = (path: string, baudRate: number): FakeLink => {
    const link = new FakeLink(path, baudRate);
    if (this.unplugged) link.failOpenWith = new Error(`Error: No such file or directory, cannot open ${path}`);
    this.links.push(link);
    return link;
  };
  get last(): FakeLink {
    return this.links[this.links.length - 1];
  }
}

/** Records listener events, and lets a test wait for the next one of a kind. */
class Recorder extends EventEmitter implements SharedPortListener {
  readonly log: string[] = [];
  readonly received: Buffer[] = [];
  data(bytes: Buffer): void {
    this.received.push(bytes);
  }
  paused(reason: string): void {
    this.log.push(`paused: ${reason}`);
    this.emit('paused');
  }
  resumed(): void {
    this.log.push('resumed');
    this.emit('resumed');
  }
  lost(error: Error): void {
    this.log.push(`lost: ${error.message}`);
    this.emit('lost');
  }
  back(): void {
    this.log.push('back');
    this.emit('back');
  }
}

async function openedPort(ports: FakePorts, path = '/dev/ttyTEST0'): Promise<{ port: SharedPort; recorder: Recorder; detach: () => void }> {
  const port = acquireSharedPort({ path, baudRate: 115200, createLink: ports.create, reopenIntervalMs: 20 });
  const recorder = new Recorder();
  const detach = port.attach(recorder);
  await waitUntil(() => port.state === 'open', 5000, `${path} to open`);
  return { port, recorder, detach };
}

describe('shared serial port', () => {
  const opened: SharedPort[] = [];
  afterEach(async () => {
    for (const port of opened.splice(0)) while (port.references > 0) await port.releaseReference();
  });

  it('opens for its first user at the configured baud rate and hands it the received bytes as they come', async () => {
    const ports = new FakePorts();
    const { port, recorder } = await openedPort(ports);
    opened.push(port);
    assert.equal(ports.last.baudRate, 115200);
    ports.last.receive(Buffer.from('{"type":"hel'));
    ports.last.receive(Buffer.from('lo"}\r\n'));
    assert.deepEqual(
      recorder.received.map((b) => b.toString()),
      ['{"type":"hel', 'lo"}\r\n'],
    );
  });

  it('writes to the open port', async () => {
    const ports = new FakePorts();
    const { port } = await openedPort(ports);
    opened.push(port);
    await port.write('read\n');
    assert.equal(ports.last.written.map((b) => b.toString()).join(''), 'read\n');
  });

  it('gives one port object per path, reference counted', async () => {
    const ports = new FakePorts();
    const first = acquireSharedPort({ path: '/dev/ttyREF', baudRate: 115200, createLink: ports.create });
    const second = acquireSharedPort({ path: '/dev/ttyREF', baudRate: 9600, createLink: ports.create });
    assert.equal(first, second);
    await first.releaseReference();
    assert.equal(findSharedPort('/dev/ttyREF'), first);
    await second.releaseReference();
    assert.equal(findSharedPort('/dev/ttyREF'), undefined);
    assert.equal(first.state, 'released');
  });

  it('is one port under a device path and a symlink to it, so a flash through the link holds both names', async () => {
    const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'shared-port-'));
    try {
      const device = path.join(dir, 'ttyUSB0');
      fs.writeFileSync(device, '');
      const byId = path.join(dir, 'usb-1a86_USB_Serial-if00-port0');
      fs.symlinkSync(device, byId);
      const ports = new FakePorts();
      const { port: direct, recorder } = await openedPort(ports, device);
      opened.push(direct);
      const viaLink = acquireSharedPort({ path: byId, baudRate: 115200, createLink: ports.create });
      assert.equal(viaLink, direct);
      assert.equal(findSharedPort(byId), direct);
      const lease = await viaLink.acquireExclusive();
      assert.deepEqual(recorder.log, ['paused: the port is being flashed']);
      await assert.rejects(direct.acquireExclusive(), PortInUseError);
      await lease.release();
      await viaLink.releaseReference();
      assert.equal(findSharedPort(device), direct, 'the device path still holds its reference');
    } finally {
      fs.rmSync(dir, { recursive: true, force: true });
    }
  });

  it('takes a path that does not resolve (a board not plugged in) as it is', async () => {
    const ports = new FakePorts();
    const absent = acquireSharedPort({ path: '/dev/serial/by-id/usb-not-plugged', baudRate: 115200, createLink: ports.create });
    opened.push(absent);
    assert.equal(findSharedPort('/dev/serial/by-id/usb-not-plugged'), absent);
    assert.equal(absent.path, '/dev/serial/by-id/usb-not-plugged');
  });

  it('closes the port when the last user detaches', async () => {
    const ports = new FakePorts();
    const { port, detach } = await openedPort(ports);
    opened.push(port);
    detach();
    await new Promise((resolve) => setImmediate(resolve));
    assert.equal(ports.last.isOpen, false);
    assert.equal(port.state, 'idle');
  });

  it('hands the port to a flash exclusively, pausing users, and gives it back', async () => {
    const ports = new FakePorts();
    const { port, recorder } = await openedPort(ports);
    opened.push(port);
    const sharedLink = ports.last;
    const lease = await port.acquireExclusive();
    assert.equal(sharedLink.isOpen, false, 'the shared connection is closed so the flasher can open the port');
    assert.deepEqual(recorder.log, ['paused: the port is being flashed']);
    await assert.rejects(port.write('read\n'), PortUnavailableError);
    await assert.rejects(port.acquireExclusive(), PortInUseError);
    const late = new Recorder();
    port.attach(late);
    assert.deepEqual(late.log, ['paused: the port is being flashed']);
    await lease.release();
    assert.equal(port.state, 'open');
    assert.notEqual(ports.last, sharedLink);
    assert.equal(ports.last.isOpen, true);
    assert.deepEqual(recorder.log, ['paused: the port is being flashed', 'resumed']);
    await lease.release();
    assert.equal(recorder.log.length, 2, 'a second release changes nothing');
  });

  it('reports a vanished port as lost, retries, and reports it back when it returns', async () => {
    const ports = new FakePorts();
    const { port, recorder } = await openedPort(ports);
    opened.push(port);
    ports.unplugged = true;
    ports.last.vanish();
    assert.equal(port.state, 'lost');
    await assert.rejects(port.write('x'), PortUnavailableError);
    const attemptsBefore = ports.links.length;
    await waitUntil(() => ports.links.length >= attemptsBefore + 2, 5000, 'reopen attempts while the port is missing');
    assert.equal(recorder.log.filter((e) => e.startsWith('lost')).length, 1, 'lost is reported once');
    ports.unplugged = false;
    await once(recorder, 'back');
    assert.equal(port.state, 'open');
    await port.write('hello\n');
    assert.equal(ports.last.written.length, 1);
  });

  it('reports a port that cannot be opened as lost and keeps trying', async () => {
    const ports = new FakePorts();
    ports.unplugged = true;
    const port = acquireSharedPort({ path: '/dev/ttyABSENT', baudRate: 115200, createLink: ports.create, reopenIntervalMs: 10 });
    opened.push(port);
    const recorder = new Recorder();
    port.attach(recorder);
    await once(recorder, 'lost');
    assert.match(recorder.log[0], /No such file/);
    ports.unplugged = false;
    await once(recorder, 'back');
    assert.equal(port.state, 'open');
  });

  it('tells a user attaching while the port is lost that it is lost', async () => {
    const ports = new FakePorts();
    ports.unplugged = true;
    const port = acquireSharedPort({ path: '/dev/ttyLATE', baudRate: 115200, createLink: ports.create, reopenIntervalMs: 1000 });
    opened.push(port);
    const first = new Recorder();
    port.attach(first);
    await once(first, 'lost');
    const late = new Recorder();
    port.attach(late);
    assert.equal(late.log.length, 1);
    assert.match(late.log[0], /^lost: .*No such file/);
  });

  it('stops reopen attempts when released', async () => {
    const ports = new FakePorts();
    ports.unplugged = true;
    const port = acquireSharedPort({ path: '/dev/ttyGONE', baudRate: 115200, createLink: ports.create, reopenIntervalMs: 10 });
    const recorder = new Recorder();
    port.attach(recorder);
    await once(recorder, 'lost');
    await port.releaseReference();
    const attempts = ports.links.length;
    // Attempts come every 10 ms: five intervals without one show they stopped.
    await waitUntilSteady(() => ports.links.length, 50, 5000, 'the reopen attempts');
    assert.equal(ports.links.length, attempts);
  });
});
