import { strict as assert } from 'assert';
import { statusView } from '../../../nodes/flespi-mqtts-out/status';

describe('flespi-mqtts-out status', () => {
  it('is green when connected, yellow while messages wait, red when the broker is gone or refuses', () => {
    assert.deepEqual(statusView({ kind: 'connected' }, 0, 0), { fill: 'green', shape: 'dot', key: 'connected' });
    assert.deepEqual(statusView({ kind: 'connecting' }, 3, 0), {
      fill: 'yellow',
      shape: 'ring',
      key: 'connectingQueued',
      params: { waiting: 3 },
    });
    assert.deepEqual(statusView({ kind: 'disconnected', reason: 'connection refused by h:1', retryInMs: 1000 }, 7, 0), {
      fill: 'yellow',
      shape: 'ring',
      key: 'queued',
      params: { waiting: 7, reason: 'connection refused by h:1' },
    });
    assert.deepEqual(statusView({ kind: 'disconnected', reason: 'gone', retryInMs: 1000 }, 0, 0), {
      fill: 'red',
      shape: 'ring',
      key: 'disconnected',
      params: { reason: 'gone' },
    });
    assert.deepEqual(statusView({ kind: 'refused', reason: 'not authorized: check the token' }, 0, 0), {
      fill: 'red',
      shape: 'dot',
      key: 'refused',
      params: { reason: 'not authorized: check the token' },
    });
    assert.deepEqual(statusView({ kind: 'refused', reason: 'not authorized: check the token' }, 5, 0), {
      fill: 'red',
      shape: 'dot',
      key: 'refusedQueued',
      params: { waiting: 5, reason: 'not authorized: check the token' },
    });
  });

  it('adds how many messages were dropped from the full offline buffer', () => {
    assert.deepEqual(statusView({ kind: 'connected' }, 0, 12), {
      fill: 'green',
      shape: 'dot',
      key: 'connectedDropped',
      params: { dropped: 12 },
    });
  });

  it('turns yellow and names the error when the offline buffer fell back to memory', () => {
    const fallback = { kind: 'memory-fallback', directory: '/x', code: 'ENOSPC', reason: 'no space left on device' } as const;
    assert.deepEqual(statusView({ kind: 'connected' }, 0, 0, fallback), {
      fill: 'yellow',
      shape: 'dot',
      key: 'connectedInMemory',
      params: { code: 'ENOSPC' },
    });
    assert.deepEqual(statusView({ kind: 'disconnected', reason: 'gone', retryInMs: 1 }, 4, 0, fallback), {
      fill: 'yellow',
      shape: 'ring',
      key: 'queuedInMemory',
      params: { waiting: 4, reason: 'gone', code: 'ENOSPC' },
    });
    assert.deepEqual(statusView({ kind: 'connected' }, 0, 0, { kind: 'disk', directory: '/x' }), {
      fill: 'green',
      shape: 'dot',
      key: 'connected',
    });
  });
});
