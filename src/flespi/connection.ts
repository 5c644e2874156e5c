/**
 * One connection to a flespi (or flespi-like) broker, shared by every publisher
 * that uses it. The messages it sends belong to a PublishQueue until the broker
 * confirms them: they wait there while offline, go out in order, and come back to the
 * head of the queue when a connection drops before their PUBACK. The queue can outlive
 * the connection (`detach`), so that the next connection sends what this one could not.
 */
import { EventEmitter } from 'events';
import * as mqtt from 'mqtt';
import { Backoff, DEFAULT_BACKOFF } from './backoff';
import { flespiAccountId } from './client-options';
import { limitsFromConnack, ServerLimits, UNLIMITED } from './connack';
import { openClient } from './open-client';
import { PublishSender } from './publish-sender';
import { describeFailure, describeServerDisconnect, Failure } from './failure';
import { MESSAGE_ID_PROPERTY, publishSize } from './packet-size';
import { Answer, DROPPED_REASON, MAX_STRIKES, Pending, PublishQueue } from './publish-queue';
import { BrokerSettings, checkSettings } from './settings';
import { EXPIRED_REASON, requestToSend, withExpiryDeadline } from './message-expiry';
import { OFFLINE, ONLINE, Status, statusMessage, statusMessageId } from './status-topic';
import type { PublishRequest } from './message';

export type ConnectionState =
  | { kind: 'idle' }
  | { kind: 'connecting' }
  | { kind: 'connected'; accountId?: number }
  | { kind: 'disconnected'; reason: string; retryInMs: number }
  | { kind: 'refused'; reason: string };

export interface ConnectionEvents {
  state: [ConnectionState];
  /** The number of messages waiting changed. */
  queue: [number];
  /** Messages were dropped from the full outbox: how many now, and in all. */
  dropped: [number, number];
  /** The broker refused a status message (src/flespi/status-topic.ts): why. */
  statusRefused: [string];
}

/** At most this many messages are sent ahead of their acknowledgements. */
const MAX_IN_FLIGHT = 1000;
/** How long closing waits for the broker to confirm messages already sent or queued. */
const CLOSE_GRACE_MS = 5000;
/** How long a clean close waits for the broker to confirm the `offline` status. */
const STATUS_GRACE_MS = 2000;
/**
 * A connection that lasted this long was healthy: the next reconnect starts from the
 * shortest delay again. One dropped sooner (a broker that accepts and then kicks, two
 * clients with the same id) keeps backing off.
 */
const STABLE_CONNECTION_MS = 30_000;

export class FlespiConnection extends EventEmitter<ConnectionEvents> {
  private readonly settings: BrokerSettings;
  private readonly queue: PublishQueue;
  private readonly backoff: Backoff;
  private client: mqtt.MqttClient | undefined;
  /** Writes the messages of the current connection once it has its CONNACK. */
  private sender: PublishSender | undefined;
  private generation = 0;
  private limits: ServerLimits = UNLIMITED;
  private current: ConnectionState = { kind: 'idle' };
  private lastFailure: Failure | undefined;
  /** The socket failed (reset, timeout): the network, not the broker, ended the connection. */
  private networkFailed = false;
  private retryTimer: NodeJS.Timeout | undefined;
  private closing = false;
  private pumpScheduled = false;
  private connectedAt = 0;
  /** The `online` status is on its way: readings follow once the broker has it. */
  private announcing = false;

  /** Without a queue, the connection keeps its messages in memory, bounded by `settings.outbox`. */
  constructor(settings: BrokerSettings, queue?: PublishQueue) {
    super();
    this.settings = checkSettings(settings);
    this.queue = queue ?? new PublishQueue({ limits: settings.outbox });
    this.backoff = new Backoff(settings.backoff ?? DEFAULT_BACKOFF);
  }

  get state(): ConnectionState {
    return this.current;
  }

  /** Messages accepted but not yet confirmed by the broker. */
  get waiting(): number {
    return this.queue.length;
  }

  get droppedTotal(): number {
    return this.queue.dropped;
  }

  get serverLimits(): ServerLimits {
    return this.limits;
  }

  get publishQueue(): PublishQueue {
    return this.queue;
  }

  /** Starts connecting, once; later calls do nothing. */
  start(): void {
    if (this.current.kind === 'idle' && !this.closing) this.connect();
  }

  /**
   * Resolves once the broker has the message (PUBACK for QoS 1, written for QoS 0);
   * rejects when the broker refuses it, when it cannot be sent as it is, when it is
   * dropped from a full outbox, or when the connection is closed first. While the token or
   * the certificate is refused, messages wait, as while offline, for the next connection
   * (with corrected settings, after a redeploy) to send.
   */
  publish(request: PublishRequest): Promise<void> {
    // The answer is made where it closes over the promise's functions only: inside the executor it would
    // also keep `request`, a second copy of every waiting message.
    let answer: Answer = () => undefined;
    const settled = new Promise<void>((resolve, reject) => {
      answer = (error) => (error ? reject(error) : resolve());
    });
    this.enqueue(request, answer);
    return settled;
  }

  /**
   * `publish` with a callback, called exactly once: the form a busy flow pays least for. A publisher
   * with many messages waiting passes one `done` for all and tells them apart by `tag` (see Answer).
   */
  enqueue(given: PublishRequest, done: Answer, tag?: string): void {
    if (this.closing) return done(new Error('the connection is closing'));
    const request = withExpiryDeadline(given);
    const size = publishSize(request);
    const problem = this.checkAgainstLimits(request, size);
    if (problem) return done(new Error(problem));
    let dropped: Pending[];
    try {
      dropped = this.queue.accept(request, size, done, tag);
    } catch (error) {
      return done(error as Error);
    }
    if (dropped.length > 0) {
      for (const old of dropped) old.done(new Error(DROPPED_REASON));
      this.emit('dropped', dropped.length, this.queue.dropped);
      this.queue.progress();
    }
    this.start();
    this.schedulePump();
  }

  /**
   * Closes the connection. Messages already accepted get up to five seconds to be
   * confirmed if the broker is connected; whatever is left then is rejected.
   */
  async close(): Promise<void> {
    if (!(await this.stop())) return;
    for (const pending of this.queue.takeAll()) {
      pending.done(new Error('the connection closed before the broker confirmed the message'));
    }
  }

  /**
   * Closes the connection but keeps every message it has not had confirmed in the
   * queue, unanswered, for the next connection to send: a redeploy loses nothing.
   */
  async detach(): Promise<void> {
    if (!(await this.stop())) return;
    this.queue.requeueInFlight();
    await this.queue.flush();
  }

  /** Ends the client after the grace period; false if stopping had already begun. */
  private async stop(): Promise<boolean> {
    if (this.closing) return false;
    this.closing = true;
    clearTimeout(this.retryTimer);
    if (this.current.kind === 'connected' && this.waiting > 0) await this.settle(CLOSE_GRACE_MS);
    if (this.current.kind === 'connected') await this.announceOffline();
    const client = this.client;
    this.client = undefined;
    this.sender = undefined;
    this.generation += 1;
    if (client) await endClient(client);
    this.setState({ kind: 'idle' });
    return true;
  }

  private connect(): void {
    const generation = ++this.generation;
    this.lastFailure = undefined;
    this.networkFailed = false;
    this.setState({ kind: 'connecting' });
    let client: mqtt.MqttClient;
    try {
      client = openClient(this.settings);
    } catch (error) {
      this.refuse((error as Error).message);
      return;
    }
    this.client = client;
    const isCurrent = () => generation === this.generation;
    client.on('connect', (connack) => {
      if (!isCurrent()) return;
      this.sender = new PublishSender(client.stream, this.settings.protocolVersion, MESSAGE_ID_PROPERTY, () => this.schedulePump());
      this.limits = limitsFromConnack(connack.properties);
      this.connectedAt = Date.now();
      this.setState({ kind: 'connected', accountId: flespiAccountId(connack) });
      this.announce(ONLINE, () => this.pump());
    });
    client.on('error', (error) => {
      if (!isCurrent()) return;
      this.lastFailure = describeFailure(error, this.where());
      this.networkFailed = true;
    });
    client.on('packetreceive', (packet) => {
      if (isCurrent() && packet.cmd === 'puback') this.sender?.acknowledge(packet);
    });
    client.on('disconnect', (packet) => {
      if (isCurrent()) this.lastFailure = describeServerDisconnect(packet.reasonCode, packet.properties?.reasonString);
    });
    client.on('close', () => {
      if (!isCurrent()) return;
      this.onConnectionLost(client);
    });
  }

  private onConnectionLost(client: mqtt.MqttClient): void {
    this.generation += 1;
    this.client = undefined;
    this.sender = undefined;
    client.removeAllListeners('close');
    client.on('error', () => undefined);
    client.end(true);
    const failure = this.lastFailure ?? { reason: 'the connection was lost', fatal: false };
    const culprit = this.networkFailed ? undefined : this.queue.blameOldestInFlight();
    if (culprit) {
      culprit.done(
        new Error(`the broker closed the connection each of the ${MAX_STRIKES} times this message was sent (${failure.reason}): given up`),
      );
      this.queue.progress();
    }
    this.queue.requeueInFlight();
    if (this.closing) return;
    if (failure.fatal) {
      this.refuse(failure.reason);
      return;
    }
    if (this.connectedAt > 0 && Date.now() - this.connectedAt >= STABLE_CONNECTION_MS) this.backoff.reset();
    this.connectedAt = 0;
    const retryInMs = this.backoff.next();
    this.setState({ kind: 'disconnected', reason: failure.reason, retryInMs });
    this.retryTimer = setTimeout(() => this.connect(), retryInMs);
  }

  /**
   * Retrying cannot help until the settings change: stop, keeping every message. A
   * token that expired during an outage loses nothing once a new one is deployed.
   */
  private refuse(reason: string): void {
    this.setState({ kind: 'refused', reason });
    this.emit('queue', this.waiting);
  }

  /**
   * Sends at the next turn of the event loop rather than at once, so that a burst of
   * messages, or of acknowledgements, goes out together in a few large writes.
   */
  private schedulePump(): void {
    if (this.pumpScheduled) return;
    this.pumpScheduled = true;
    setImmediate(() => {
      this.pumpScheduled = false;
      this.pump();
    });
  }

  /** Publishes a status when the settings name a status topic, then calls `then` once the broker has it (or refused it). */
  private announce(status: Status, then: () => void): void {
    const topic = this.settings.statusTopic;
    const sender = this.sender;
    if (!topic || !sender) return then();
    const generation = this.generation;
    this.announcing = true;
    sender.send(statusMessage(topic, status, this.limits.retainAvailable), statusMessageId(status), (error) => {
      if (generation !== this.generation) return;
      this.announcing = false;
      if (error) this.emit('statusRefused', error.message);
      then();
    });
  }

  private announceOffline(): Promise<void> {
    return new Promise((resolve) => {
      const timer = setTimeout(resolve, STATUS_GRACE_MS);
      this.announce(OFFLINE, () => {
        clearTimeout(timer);
        resolve();
      });
    });
  }

  private pump(): void {
    const sender = this.sender;
    if (!sender || this.current.kind !== 'connected' || this.announcing) {
      this.emit('queue', this.waiting); // what waits for a connection, for the status
      return;
    }
    const window = Math.min(MAX_IN_FLIGHT, this.limits.receiveMaximum);
    const inFlight = this.queue.inFlight;
    sender.batch(() => {
      while (inFlight.size < window && !sender.blocked) {
        const pending = this.queue.next();
        if (!pending) break;
        const problem = this.checkAgainstLimits(pending, pending.size);
        if (problem) {
          pending.done(new Error(problem));
          continue;
        }
        const request = requestToSend(pending);
        if (!request) {
          pending.done(new Error(EXPIRED_REASON));
          continue;
        }
        this.send(sender, pending, request);
      }
    });
    this.queue.progress();
    this.emit('queue', this.waiting);
  }

  private send(sender: PublishSender, pending: Pending, request: PublishRequest): void {
    const generation = this.generation;
    const inFlight = this.queue.inFlight;
    inFlight.add(pending);
    sender.send(request, pending.id, (error) => {
      if (generation !== this.generation || !inFlight.has(pending)) return;
      inFlight.delete(pending);
      pending.done(error);
      this.schedulePump();
    });
  }

  private checkAgainstLimits(request: PublishRequest, size: number): string | undefined {
    const { maximumPacketSize, maximumQoS, retainAvailable } = this.limits;
    if (maximumPacketSize !== undefined && size > maximumPacketSize) {
      return `the message is ${size} bytes, more than the broker accepts (${maximumPacketSize} bytes)`;
    }
    if (request.qos > maximumQoS) return `the broker accepts at most QoS ${maximumQoS}`;
    if (request.retain && !retainAvailable) return 'the broker does not keep retained messages';
    return undefined;
  }

  private settle(timeoutMs: number): Promise<void> {
    return new Promise((resolve) => {
      const check = () => {
        if (this.waiting === 0 || this.current.kind !== 'connected') finish();
      };
      const finish = () => {
        clearTimeout(timer);
        this.off('queue', check);
        this.off('state', check);
        resolve();
      };
      const timer = setTimeout(finish, timeoutMs);
      this.on('queue', check);
      this.on('state', check);
      check();
    });
  }

  private setState(state: ConnectionState): void {
    this.current = state;
    this.emit('state', state);
  }

  private where(): string {
    return `${this.settings.host}:${this.settings.port}`;
  }
}

function endClient(client: mqtt.MqttClient): Promise<void> {
  return new Promise((resolve) => {
    const timer = setTimeout(() => client.end(true, {}, () => resolve()), 2000);
    client.end(false, {}, () => {
      clearTimeout(timer);
      resolve();
    });
  });
}
