/**
 * flespi-broker: the settings of one flespi connection, and the connection itself,
 * shared by every flespi-mqtts-out node that uses them.
 */
import type { Node, NodeAPI } from 'node-red';
import type { Request, Response } from 'express';
import { ConnectionState, FlespiConnection } from '../../src/flespi/connection';
import { probeBroker } from '../../src/flespi/probe';
import { BrokerSettings } from '../../src/flespi/settings';
import { brokerSettings, FlespiBrokerCredentials, FlespiBrokerDef, FlespiBrokerNode, UNCHANGED_PASSWORD } from './broker-api';
import { inWords } from '../rule-words';

export = function register(RED: NodeAPI): void {
  function FlespiBroker(this: FlespiBrokerNode, config: FlespiBrokerDef): void {
    RED.nodes.createNode(this, config);
    const node = this;
    const users = new Set<string>();
    let connection: FlespiConnection | undefined;
    let lastLogged = '';

    function logStateChange(state: ConnectionState): void {
      const line = state.kind === 'refused' || state.kind === 'disconnected' ? `${state.kind}: ${state.reason}` : state.kind;
      if (line === lastLogged) return;
      lastLogged = line;
      if (state.kind === 'refused') node.error(RED._('flespi-broker.log.refused', { reason: state.reason }));
      else if (state.kind === 'disconnected') node.warn(RED._('flespi-broker.log.disconnected', { reason: state.reason, retry: Math.ceil(state.retryInMs / 1000) }));
      else if (state.kind === 'connected') node.log(RED._('flespi-broker.log.connected', { host: config.host, account: state.accountId ?? '-' }));
    }

    node.acquire = (user: Node) => {
      if (!connection) {
        try {
          connection = new FlespiConnection(brokerSettings(config, node.credentials ?? {}));
        } catch (error) {
          throw inWords(RED, 'flespi-broker', error);
        }
        connection.setMaxListeners(0);
        connection.on('state', logStateChange);
        connection.on('dropped', (now, total) => node.warn(RED._('flespi-broker.log.dropped', { now, total })));
        connection.start();
      }
      users.add(user.id);
      return connection;
    };

    node.release = async (user: Node) => {
      users.delete(user.id);
      if (users.size > 0 || !connection) return;
      const closing = connection;
      connection = undefined;
      await closing.close();
    };

    node.on('close', (done: () => void) => {
      const closing = connection;
      connection = undefined;
      users.clear();
      if (!closing) return done();
      closing.close().then(done, done);
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
    const stored = (typeof body.id === 'string' ? RED.nodes.getCredentials(body.id) : undefined) as FlespiBrokerCredentials | undefined;
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
    probeBroker(settings).then(
      (result) => res.json(result),
      (error: Error) => res.json({ ok: false, reason: error.message }),
    );
  });
};
