/** What the out node shows under itself for a connection state. */
import type { ConnectionState } from '../../src/flespi/connection';
import type { Storage } from '../../src/flespi/publish-queue';

export interface StatusView {
  fill: 'red' | 'green' | 'yellow' | 'grey';
  shape: 'dot' | 'ring';
  /** A message key of this node's catalog, and its parameters. */
  key: string;
  params?: Record<string, string | number>;
}

export function statusView(state: ConnectionState, waiting: number, dropped: number, storage?: Storage): StatusView {
  const view = baseView(state, waiting);
  // A disk that failed matters more than the count of old drops: the next power cut takes what waits.
  if (storage?.kind === 'memory-fallback' && (view.key === 'connected' || view.key === 'queued')) {
    return { fill: 'yellow', shape: view.shape, key: `${view.key}InMemory`, params: { ...view.params, code: storage.code } };
  }
  if (dropped > 0) return { ...view, key: `${view.key}Dropped`, params: { ...view.params, dropped } };
  return view;
}

function baseView(state: ConnectionState, waiting: number): StatusView {
  switch (state.kind) {
    case 'idle':
      return { fill: 'grey', shape: 'ring', key: 'idle' };
    case 'connecting':
      return waiting > 0
        ? { fill: 'yellow', shape: 'ring', key: 'connectingQueued', params: { waiting } }
        : { fill: 'yellow', shape: 'ring', key: 'connecting' };
    case 'connected':
      return { fill: 'green', shape: 'dot', key: 'connected' };
    case 'disconnected':
      return waiting > 0
        ? { fill: 'yellow', shape: 'ring', key: 'queued', params: { waiting, reason: state.reason } }
        : { fill: 'red', shape: 'ring', key: 'disconnected', params: { reason: state.reason } };
    case 'refused':
      return waiting > 0
        ? { fill: 'red', shape: 'dot', key: 'refusedQueued', params: { waiting, reason: state.reason } }
        : { fill: 'red', shape: 'dot', key: 'refused', params: { reason: state.reason } };
  }
}
