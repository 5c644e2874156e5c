import { strict as assert } from 'assert';
import {
  BridgePort,
  BridgeSession,
  acquireBridgeSession,
  findBridgeSession,
  releaseBridgeSession,
} from '../../../src/onewire/bridge-session';
import { waitUntil } from '../../support/wait';

const HELLO = '{"type":"hello","firmware":"ds18b20-bridge","version":"1.0.0","protocol":1}\n';
const OTHER = '{"type":"hello","firmware":"weather-station","version":"2.1","protocol":1}\n';

type Listener = Parameters<BridgePort['attach']>[0];

/** A port whose board the test plays by hand. */
class FakePort implements BridgePort {
  readonly path = 'fake:0';
  listener: Listener | undefined;
  written: string[] = [];
  answerHello = true;
  detached = false;

  attach(listener: Listener): () => void {
    this.listener = listener;
    return () => {
      this.detached = true;
    };
  }

  async write(data: string): Promise<void> {
    this.written.push(data);
    if (data === 'hello\n' && this.answerHello) setImmediate(() => this.board(HELLO));
  }

  board(text: string): void {
    this.listener?.data?.(Buffer.from(text, 'latin1'));
  }
}

function waitState(session: BridgeSession, state: string): Promise<string> {
  if (session.state === state) return Promise.resolve(session.detail);
  return new Promise((resolve) =>
    session.on('state', (s: string, detail: string) => {
      if (s === state) resolve(detail);
    }),
  );
}

describe('onewire bridge session', () => {
  const open: BridgeSession[] = [];
  afterEach(() => {
    for (const s of open.splice(0)) s.close();
  });
  function session(port: FakePort, retryMs = 50): BridgeSession {
    const s = new BridgeSession(port, { retryMs, commandTimeoutMs: 50 });
    open.push(s);
    return s;
  }

  it('becomes ready when the bridge says hello', async () => {
    const port = new FakePort();
    const s = session(port);
    await waitState(s, 'ready');
    assert.deepEqual(port.written, ['hello\n']);
  });

  it('names other firmware, keeps asking, and becomes ready once the bridge boots', async () => {
    const port = new FakePort();
    port.answerHello = false;
    const s = session(port);
    port.board(OTHER);
    assert.match(await waitState(s, 'no-bridge'), /runs "weather-station".*flash the bridge firmware with the ESP8266 flash node/);
    await waitUntil(() => port.written.filter((w) => w === 'hello\n').length >= 2, 5000, 'the session to ask again');
    await assert.rejects(s.read(), /flash the bridge firmware/);
    port.board('\u00ff\u0010 ets garbage\r\n' + HELLO);
    await waitState(s, 'ready');
  });

  it('pauses for a flash, refuses reads meanwhile, and reconnects on resume', async () => {
    const port = new FakePort();
    const s = session(port);
    await waitState(s, 'ready');
    port.answerHello = false;
    const pending = s.read();
    port.listener?.paused?.('the port is being flashed');
    await assert.rejects(pending, /paused while the board is being flashed/);
    assert.equal(s.state, 'paused');
    await assert.rejects(s.read(), /paused/);
    port.answerHello = true;
    port.listener?.resumed?.();
    await waitState(s, 'ready');
  });

  it('waits for a flash that holds the port when the session starts, instead of calling the board "no bridge"', async () => {
    class FlashingPort extends FakePort {
      override attach(listener: Listener): () => void {
        const detach = super.attach(listener);
        listener.paused?.('the port is being flashed');
        return detach;
      }

      override async write(data: string): Promise<void> {
        if (this.flashing) throw new Error('fake:0 is being flashed');
        await super.write(data);
      }

      flashing = true;
    }
    const port = new FlashingPort();
    const s = session(port);
    const states: string[] = [];
    s.on('state', (state: string) => states.push(state));
    assert.equal(s.state, 'paused');
    await assert.rejects(s.read(), /paused while the board is being flashed/);
    assert.deepEqual(port.written, [], 'nothing sent into a port a flash holds');
    port.flashing = false;
    port.listener?.resumed?.();
    await waitState(s, 'ready');
    assert.deepEqual(states, ['connecting', 'ready']);
  });

  it('reports an unplugged board and comes back with it', async () => {
    const port = new FakePort();
    const s = session(port);
    await waitState(s, 'ready');
    port.listener?.lost?.(new Error('EIO: unplugged'));
    assert.match(s.detail, /the board is gone \(EIO: unplugged\)/);
    port.listener?.back?.();
    await waitState(s, 'ready');
  });

  it('keeps the MAC of the last bridge hello, and none from firmware that does not say it', async () => {
    const port = new FakePort();
    const s = session(port);
    await waitState(s, 'ready');
    assert.equal(s.mac, undefined);
    port.board('{"type":"hello","firmware":"ds18b20-bridge","version":"1.1.0","protocol":1,"mac":"18:fe:34:a1:b2:5c"}\n');
    assert.equal(s.mac, '18:fe:34:a1:b2:5c');
    port.board(HELLO);
    assert.equal(s.mac, undefined, 'older firmware flashed since');
  });

  it('is shared per port and detaches when the last user leaves', async () => {
    const port = new FakePort();
    const a = acquireBridgeSession(port);
    const b = acquireBridgeSession(port);
    assert.equal(a, b);
    assert.equal(findBridgeSession(port), a);
    releaseBridgeSession(a);
    assert.equal(port.detached, false);
    releaseBridgeSession(b);
    assert.equal(port.detached, true);
    assert.equal(findBridgeSession(port), undefined);
    assert.equal(a.state, 'closed');
  });
});

describe('onewire bridge session without a bridge', () => {
  it('fails reads queued behind an unanswered hello with the advice, not a timeout', async () => {
    const port = new FakePort();
    port.answerHello = false;
    const s = new BridgeSession(port, { retryMs: 1000, commandTimeoutMs: 50, readTimeoutMs: 5000 });
    try {
      const started = Date.now();
      await assert.rejects(s.read(), /no answer from the ds18b20-bridge firmware: flash the bridge firmware/);
      assert.ok(Date.now() - started < 1000);
      assert.deepEqual(port.written, ['hello\n']);
    } finally {
      s.close();
    }
  });
});
