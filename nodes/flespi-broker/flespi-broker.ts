/**
 * flespi-broker: the settings of one flespi connection, the connection itself, shared
 * by every flespi-mqtts-out node that uses it, and the queue of messages it has not yet
 * had confirmed, kept on disk under the user directory unless the user chose memory.
 */
import type { Node, NodeAPI } from 'node-red';
import type { Request, Response } from 'express';
import * as path from 'path';
import { ConnectionState, FlespiConnection } from '../../src/flespi/connection';
import { OutboxHandover } from '../../src/flespi/outbox-handover';
import { probeBroker } from '../../src/flespi/probe';
import { PublishQueue, Storage } from '../../src/flespi/publish-queue';
import { BrokerSettings } from '../../src/flespi/settings';
import { storeDirectory } from '../../src/flespi/store/segments';
import { brokerSettings, FlespiBrokerCredentials, FlespiBrokerDef, FlespiBrokerNode, UNCHANGED_PASSWORD } from './broker-api';
import { inWords } from '../rule-words';
import { DeployedBroker, endpointOf, storedCredentialsFor } from './stored-credentials';
import { explainsNetworkFailures } from './test-target';

/** Under the user directory: one folder per broker config, named after its id. */
const STORE_FOLDER = 'flespi-outbox';

export = function register(RED: NodeAPI): void {
  // Module scope outlives the instances: a redeploy parks a queue here for the next one.
  const handover = new OutboxHandover();

  function FlespiBroker(this: FlespiBrokerNode, config: FlespiBrokerDef): void {
    RED.nodes.createNode(this, config);
    const node = this;
    const users = new Set<string>();
    let connection: FlespiConnection | undefined;
    let detaching: Promise<void> | undefined;
    let lastLogged = '';

    function logStateChange(state: ConnectionState): void {
      const line = state.kind === 'refused' || state.kind === 'disconnected' ? `${state.kind}: ${state.reason}` : state.kind;
      if (line === lastLogged) return;
      lastLogged = line;
      if (state.kind === 'refused') node.error(RED._('flespi-broker.log.refused', { reason: state.reason }));
      else if (state.kind === 'disconnected')
        node.warn(RED._('flespi-broker.log.disconnected', { reason: state.reason, retry: Math.ceil(state.retryInMs / 1000) }));
      else if (state.kind === 'connected')
        node.log(RED._('flespi-broker.log.connected', { host: config.host, account: state.accountId ?? '-' }));
    }

    function logStorage(storage: Storage): void {
      if (storage.kind !== 'memory-fallback') return;
      const key = storage.code === 'ELOCKED' ? 'flespi-broker.log.storeLocked' : 'flespi-broker.log.diskFailed';
      node.warn(RED._(key, { code: storage.code, reason: storage.reason }));
    }

    (node as unknown as DeployedBroker).deployedEndpoint = endpointOf(config, node.credentials?.ca);

    const userDir = (RED.settings as { userDir?: string }).userDir;
    const onDisk = config.buffer !== 'memory' && typeof userDir === 'string';
    let queue: PublishQueue | undefined;
    let unusable: Error | undefined;
    try {
      const settings = brokerSettings(config, node.credentials ?? {});
      queue = handover.take(config.id, {
        limits: settings.outbox,
        directory: onDisk ? storeDirectory(path.join(userDir, STORE_FOLDER), config.id) : undefined,
      });
    } catch (error) {
      unusable = inWords(RED, 'flespi-broker', error);
      node.error(unusable.message);
    }
    const report = queue?.takeOpenReport();
    if (report) {
      if (report.failed) logStorage(report.failed);
      if (report.recovered > 0) node.log(RED._('flespi-broker.log.recovered', { count: report.recovered }));
      if (report.tornBytes > 0) node.warn(RED._('flespi-broker.log.tornTail', { bytes: report.tornBytes }));
      if (report.corrupt > 0) node.warn(RED._('flespi-broker.log.corrupt', { count: report.corrupt }));
      if (report.overflow)
        node.warn(
          RED._('flespi-broker.log.overflow', {
            count: report.overflow,
            messages: config.bufferMessages,
            megabytes: config.bufferMegabytes,
          }),
        );
    }
    queue?.on('storage', logStorage);

    function open(): FlespiConnection {
      if (!queue) throw unusable ?? new Error(RED._('flespi-broker.errors.closed'));
      if (!connection) {
        detaching = undefined;
        try {
          connection = new FlespiConnection(brokerSettings(config, node.credentials ?? {}), queue);
        } catch (error) {
          throw inWords(RED, 'flespi-broker', error);
        }
        connection.setMaxListeners(0);
        connection.on('state', logStateChange);
        connection.on('dropped', (now, total) => node.warn(RED._('flespi-broker.log.dropped', { now, total })));
        connection.on('statusRefused', (reason) =>
          node.warn(RED._('flespi-broker.log.statusRefused', { topic: config.statusTopic ?? '', reason })),
        );
        connection.start();
      }
      return connection;
    }

    /** Ends the connection once, however many ask; its unconfirmed messages stay queued. */
    function detach(): Promise<void> {
      const closing = connection;
      connection = undefined;
      if (closing) detaching = closing.detach();
      return detaching ?? Promise.resolve();
    }

    // Messages left by the last run or the last deploy go out without waiting for a user.
    if (queue && queue.length > 0) {
      try {
        open();
      } catch (error) {
        node.error((error as Error).message);
      }
    }

    node.acquire = (user: Node) => {
      const shared = open();
      users.add(user.id);
      return shared;
    };

    node.release = async (user: Node) => {
      users.delete(user.id);
      if (users.size > 0) return;
      await detach();
    };

    node.on('close', (removed: boolean, done: () => void) => {
      users.clear();
      const leaving = queue;
      queue = undefined;
      const finish = async () => {
        await detach();
        if (!leaving) return;
        leaving.off('storage', logStorage);
        if (!removed) {
          await leaving.rest();
          handover.park(config.id, leaving);
          return;
        }
        // They go with their config, told in one log line: failing each would log a line per message.
        const { messages, deleted } = leaving.discard();
        node.log(RED._('flespi-broker.log.discarded', { count: messages.length }));
        await deleted;
      };
      finish().then(done, done);
    });
  }

  RED.nodes.registerType<FlespiBrokerNode, FlespiBrokerDef, unknown, FlespiBrokerCredentials>('flespi-broker', FlespiBroker, {
    credentials: {
      token: { type: 'password' },
      ca: { type: 'text' },
    },
  });

  // The editor's "Test connection" button: one CONNECT with the settings in the dialog.
  RED.httpAdmin.post('/flespi-broker/test', RED.auth.needsPermission('flespi-broker.write'), (req: Request, res: Response) => {
    const body = (req.body ?? {}) as Partial<FlespiBrokerDef> & FlespiBrokerCredentials;
    const named = typeof body.id === 'string' ? RED.nodes.getNode(body.id) : null;
    const stored = storedCredentialsFor(named, body, named ? RED.nodes.getCredentials(named.id) : undefined);
    const token = body.token === undefined || body.token === UNCHANGED_PASSWORD ? stored?.token : body.token;
    const ca = body.ca === undefined ? stored?.ca : body.ca;
    const config = { ...body, id: typeof body.id === 'string' ? body.id : 'test' } as FlespiBrokerDef;
    let settings: BrokerSettings;
    try {
      settings = brokerSettings(config, { token, ca });
    } catch (error) {
      res.json({ ok: false, reason: inWords(RED, 'flespi-broker', error).message });
      return;
    }
    settings.clientId = `${settings.clientId}-test`;
    const explained = explainsNetworkFailures(endpointOf(config, ca), named);
    const unreachable = { ok: false, reason: RED._('flespi-broker.test.unreachable', { where: `${settings.host}:${settings.port}` }) };
    probeBroker(settings).then(
      (result) =>
        res.json(result.ok ? result : result.stage === 'network' && !explained ? unreachable : { ok: false, reason: result.reason }),
      (error: Error) => res.json(explained ? { ok: false, reason: error.message } : unreachable),
    );
  });
};
