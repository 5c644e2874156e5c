/**
 * Sends PUBLISH packets on one connected client and matches the broker's PUBACKs to
 * them. It lives as long as that connection: what it has not settled when the connection
 * goes is the outbox's to send again, on the next one.
 */
import type { Writable } from 'stream';
import type { PublishRequest } from './message';
import { encodePublish } from './publish-packet';

export type Settled = (error?: Error) => void;

/** PUBACK reason codes that refuse a message, by the names of OASIS MQTT 5.0, section 3.4.2.1. */
const PUBACK_REFUSALS: Record<number, string> = {
  0x80: 'Unspecified error',
  0x83: 'Implementation specific error',
  0x87: 'Not authorized',
  0x90: 'Topic Name invalid',
  0x91: 'Packet Identifier in use',
  0x97: 'Quota exceeded',
  0x99: 'Payload format invalid',
};

export interface Puback {
  messageId?: number;
  reasonCode?: number;
}

export class PublishSender {
  /** QoS 1 messages written and waiting for their PUBACK, by packet id. */
  private readonly awaiting = new Map<number, Settled>();
  /** QoS 0 messages written while the stream was full: settled when it drains. */
  private readonly untilDrain: Settled[] = [];
  private lastPacketId = 0;
  private full = false;

  /**
   * `stream` is the client's own, after its CONNACK; `onDrain` is told when a full stream
   * takes writes again. MQTT 5 packets carry each message's id as the user property
   * `idProperty` (MQTT 3.1.1 has no properties).
   */
  constructor(
    private readonly stream: Writable,
    private readonly protocolVersion: 4 | 5,
    private readonly idProperty: string,
    private readonly onDrain: () => void,
  ) {}

  /** The stream is above its high-water mark: wait for `onDrain` before sending more. */
  get blocked(): boolean {
    return this.full;
  }

  /** Runs `sending`, whose packets then leave in one write. */
  batch(sending: () => void): void {
    this.stream.cork();
    try {
      sending();
    } finally {
      this.stream.uncork();
    }
  }

  /**
   * Writes the message. `settled` is called once: at QoS 1 with the PUBACK (an error if the
   * broker refused it), at QoS 0 once the stream has it; or at once if it cannot be encoded.
   * If the connection goes first, it is never called.
   */
  send(request: PublishRequest, messageId: string, settled: Settled): void {
    const packetId = request.qos === 1 ? this.nextPacketId() : 0;
    let packet: Buffer;
    try {
      packet = encodePublish(request, packetId, this.protocolVersion, { name: this.idProperty, value: messageId });
    } catch (error) {
      settled(error as Error);
      return;
    }
    if (request.qos === 1) this.awaiting.set(packetId, settled);
    const belowMark = this.stream.write(packet);
    if (request.qos === 0) {
      if (belowMark && !this.full) settled();
      else this.untilDrain.push(settled);
    }
    if (!belowMark && !this.full) {
      this.full = true;
      this.stream.once('drain', () => this.drained());
    }
  }

  /** A PUBACK from the broker; one for a packet id this sender did not send is ignored. */
  acknowledge(puback: Puback): void {
    const settled = puback.messageId === undefined ? undefined : this.awaiting.get(puback.messageId);
    if (!settled || puback.messageId === undefined) return;
    this.awaiting.delete(puback.messageId);
    const code = puback.reasonCode ?? 0;
    if (code < 0x80) return settled();
    settled(new Error(`the broker refused the message: ${PUBACK_REFUSALS[code] ?? 'refused'} (reason ${code})`));
  }

  private drained(): void {
    this.full = false;
    for (const settled of this.untilDrain.splice(0)) settled();
    this.onDrain();
  }

  /** The next packet id not waiting for its PUBACK. The window keeps fewer than 65535 waiting. */
  private nextPacketId(): number {
    do this.lastPacketId = this.lastPacketId === 0xffff ? 1 : this.lastPacketId + 1;
    while (this.awaiting.has(this.lastPacketId));
    return this.lastPacketId;
  }
}
