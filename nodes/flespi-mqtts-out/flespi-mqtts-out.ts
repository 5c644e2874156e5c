/**
 * flespi-mqtts-out: publishes each message to flespi through a shared flespi-broker
 * connection. With Pass on, it answers done() and passes the message on once the broker
 * has it, or answers with the reason it was not; without, done() comes once the offline
 * buffer has it (completion.ts).
 */
import type { Node, NodeAPI, NodeDef, NodeMessageInFlow } from 'node-red';
import type { FlespiBrokerNode } from '../flespi-broker/broker-api';
import { FlespiConnection } from '../../src/flespi/connection';
import type { PublishRequest } from '../../src/flespi/message';
import { messageProperties, publishQos } from '../../src/flespi/message-options';
import { withMessageExpiry } from '../../src/flespi/message-expiry';
import { encodePayload } from '../../src/flespi/payload';
import { topicChooser } from '../../src/flespi/topic';
import { checkMessageExpiry, checkPublishTopic, checkQos, RuleError } from '../../src/field-rules';
import { firstProblem, inWords } from '../rule-words';
import { statusView } from './status';
import { BufferedCompletion } from './completion';

interface FlespiMqttsOutDef extends NodeDef {
  broker: string;
  topic: string;
  qos: number | string;
  retain: boolean | string;
  outputs?: number;
  /** Seconds, blank for none: the message expiry of messages that set none. */
  messageExpiry?: number | string;
}

type Message = NodeMessageInFlow & Record<string, unknown>;

/** Statuses Node-RED's own catalog already words. */
const NODE_RED_STATUS: Record<string, string> = {
  connecting: 'node-red:common.status.connecting',
  connected: 'node-red:common.status.connected',
};

/** Rules the domain library (src/flespi) refuses a message with, in this node's catalog. */
const MESSAGE_REFUSALS = [
  'flespi-mqtts-out.errors.propertyControl',
  'flespi-mqtts-out.errors.propertyLength',
  'flespi-mqtts-out.errors.payloadNoJson',
  'flespi-mqtts-out.errors.payloadNotFinite',
  'flespi-mqtts-out.errors.recordTooLarge',
];

export = function register(RED: NodeAPI): void {
  /** Why a message was refused, in the catalog's words. */
  function refusal(error: unknown): Error {
    const key = error instanceof RuleError ? `flespi-mqtts-out.errors.${error.problem.rule}` : '';
    if (error instanceof RuleError && MESSAGE_REFUSALS.includes(key)) return new Error(RED._(key, error.problem.params));
    return inWords(RED, 'flespi-mqtts-out', error);
  }

  function FlespiMqttsOut(this: Node, config: FlespiMqttsOutDef) {
    RED.nodes.createNode(this, config);
    const node = this;
    const broker = RED.nodes.getNode(config.broker) as FlespiBrokerNode | null;
    const passOn = Number(config.outputs ?? 0) > 0;
    const topicOf = topicChooser(config.topic ?? '');
    let connection: FlespiConnection | undefined;
    // The values the edit dialog marks red are refused here with the same words.
    let setupError = firstProblem(RED, 'flespi-mqtts-out', [
      checkPublishTopic(config.topic ?? '', false),
      checkQos(config.qos),
      checkMessageExpiry(config.messageExpiry ?? ''),
    ]);
    const defaultExpiry = String(config.messageExpiry ?? '').trim() === '' ? undefined : Number(config.messageExpiry);

    let shown = '';
    const showStatus = () => {
      if (!connection) return;
      const view = statusView(connection.state, connection.waiting, connection.droppedTotal, connection.publishQueue.storage);
      // The queue changes with every message: only translate and tell the editor when what it shows changes.
      const signature = `${view.fill} ${view.shape} ${view.key} ${view.params ? Object.values(view.params).join(' ') : ''}`;
      if (signature === shown) return;
      shown = signature;
      node.status({
        fill: view.fill,
        shape: view.shape,
        text: RED._(NODE_RED_STATUS[view.key] ?? `flespi-mqtts-out.status.${view.key}`, view.params),
      });
    };

    if (setupError) {
      node.status({ fill: 'red', shape: 'ring', text: setupError });
    } else if (!broker) {
      setupError = RED._('flespi-mqtts-out.errors.noBroker');
      node.status({ fill: 'red', shape: 'ring', text: setupError });
    } else {
      try {
        const shared = broker.acquire(node);
        connection = shared;
        shared.on('state', showStatus);
        shared.on('queue', showStatus);
        shared.on('dropped', showStatus);
        shared.publishQueue.on('storage', showStatus);
        showStatus();
      } catch (error) {
        setupError = (error as Error).message;
        node.status({ fill: 'red', shape: 'ring', text: setupError });
      }
    }

    const completion = new BufferedCompletion((error, msgid, topic) => node.error(refusal(error), { _msgid: msgid, topic }));

    node.on('input', (msg: NodeMessageInFlow, send, done) => {
      const message = msg as Message;
      if (!connection) {
        done(new Error(setupError ?? RED._('flespi-mqtts-out.errors.noBroker')));
        return;
      }
      let request: PublishRequest;
      try {
        request = {
          topic: topicOf(message),
          payload: encodePayload(message.payload),
          qos: publishQos(config.qos, message.qos),
          retain: config.retain === true || config.retain === 'true' || (message.retain === true && !config.retain),
          properties: withMessageExpiry(messageProperties(message), message, defaultExpiry),
        };
      } catch (error) {
        done(refusal(error));
        return;
      }
      if (!passOn) {
        const using = connection;
        const buffered = request;
        completion.complete(
          (answer, tag) => using.enqueue(buffered, answer, tag),
          (error) => (error ? done(refusal(error)) : done()),
          message._msgid,
        );
        return;
      }
      connection.enqueue(request, (error) => {
        if (error) return done(refusal(error));
        // A message confirmed after a redeploy has no wires left to go to.
        if (connection) send(msg);
        done();
      });
    });

    node.on('close', (done: () => void) => {
      const using = connection;
      connection = undefined;
      if (!using || !broker) return done();
      using.off('state', showStatus);
      using.off('queue', showStatus);
      using.off('dropped', showStatus);
      using.publishQueue.off('storage', showStatus);
      broker.release(node).then(done, done);
    });
  }

  RED.nodes.registerType('flespi-mqtts-out', FlespiMqttsOut);
};
