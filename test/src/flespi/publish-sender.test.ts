import { strict as assert } from 'assert';
import { Writable } from 'stream';
import * as mqttPacket from 'mqtt-packet';
import type { PublishRequest } from '../../../src/flespi/message';
import { PublishSender } from '../../../src/flespi/publish-sender';

/** A socket stand-in: records each write it is handed, and holds them when told to, as a full socket does. */
class RecordingStream extends Writable {
  readonly writes: Buffer[][] = [];
  private held: Array<() => void> | undefined;

  constructor(highWaterMark = 16_384) {
    super({ highWaterMark });
  }

  hold(): void {
    this.held = [];
  }

  release(): void {
    const held = this.held ?? [];
    this.held = undefined;
    for (const done of held) done();
  }

  override _writev(chunks: Array<{ chunk: Buffer }>, callback: () => void): void {
    this.writes.push(chunks.map((entry) => entry.chunk));
    if (this.held) this.held.push(callback);
    else callback();
  }

  /** Every packet written so far, decoded by MQTT.js's parser. */
  packets(protocolVersion: 4 | 5): mqttPacket.IPublishPacket[] {
    const parser = mqttPacket.parser({ protocolVersion });
    const got: mqttPacket.IPublishPacket[] = [];
    parser.on('packet', (packet: mqttPacket.Packet) => got.push(packet as mqttPacket.IPublishPacket));
    parser.on('error', (error: Error) => assert.fail(error));
    for (const write of this.writes) parser.parse(Buffer.concat(write));
    return got;
  }
}

const message = (qos: 0 | 1, payload = 'reading'): PublishRequest => ({ topic: 'sensors/x', payload, qos, retain: false });
const nextTurn = () => new Promise((resolve) => setImmediate(resolve));

describe('PublishSender', () => {
  it('settles a QoS 1 message on its own PUBACK only, and takes a refusal as an error', () => {
    const stream = new RecordingStream();
    const sender = new PublishSender(stream, 5, 'message-id', () => undefined);
    const settled: Array<string> = [];
    for (const name of ['a', 'b', 'c']) sender.send(message(1), name, (error) => settled.push(`${name}: ${error?.message ?? 'ok'}`));
    const ids = stream.packets(5).map((packet) => packet.messageId);
    assert.deepEqual(ids, [1, 2, 3]);
    assert.deepEqual(settled, [], 'nothing is settled before its PUBACK');
    sender.acknowledge({ messageId: 2, reasonCode: 0x10 });
    sender.acknowledge({ messageId: 3, reasonCode: 0x97 });
    sender.acknowledge({ messageId: 3 });
    sender.acknowledge({ messageId: 99 });
    sender.acknowledge({ messageId: 1 });
    assert.deepEqual(settled, ['b: ok', 'c: the broker refused the message: Quota exceeded (reason 151)', 'a: ok']);
  });

  it("sends each message's id as a user property with MQTT 5, and none with MQTT 3.1.1", () => {
    for (const version of [5, 4] as const) {
      const stream = new RecordingStream();
      const sender = new PublishSender(stream, version, 'message-id', () => undefined);
      sender.send(message(0), 'id-1', () => undefined);
      const [packet] = stream.packets(version);
      assert.equal(packet.payload.toString(), 'reading');
      assert.deepEqual(
        packet.properties?.userProperties && { ...packet.properties.userProperties },
        version === 5 ? { 'message-id': 'id-1' } : undefined,
      );
    }
  });

  it('hands the packets of one batch to the stream in one write', async () => {
    const stream = new RecordingStream();
    const sender = new PublishSender(stream, 5, 'message-id', () => undefined);
    sender.batch(() => {
      for (let i = 0; i < 50; i += 1) sender.send(message(1), `m${i}`, () => undefined);
    });
    await nextTurn();
    assert.equal(stream.writes.length, 1);
    assert.equal(stream.writes[0].length, 50);
    assert.equal(stream.packets(5).length, 50);
  });

  it('after 65535 takes packet id 1 again, skipping ids still waiting for their PUBACK', () => {
    const stream = new RecordingStream(1 << 30);
    const sender = new PublishSender(stream, 5, 'message-id', () => undefined);
    sender.send(message(1), 'first', () => undefined);
    sender.send(message(1), 'second', () => undefined);
    for (let id = 3; id <= 0xffff; id += 1) {
      sender.send(message(1), 'filler', () => undefined);
      sender.acknowledge({ messageId: id });
    }
    sender.acknowledge({ messageId: 1 });
    sender.send(message(1), 'wrapped', () => undefined);
    sender.send(message(1), 'skips 2', () => undefined);
    const ids = stream.packets(5).map((packet) => packet.messageId);
    assert.deepEqual(ids.slice(-2), [1, 3]);
  });

  it('settles a QoS 0 message once the stream has it; when the stream is full, once it drains', async () => {
    const stream = new RecordingStream(1024);
    let drains = 0;
    const sender = new PublishSender(stream, 5, 'message-id', () => (drains += 1));
    const settled: string[] = [];
    sender.send(message(0), 'small', () => settled.push('small'));
    assert.deepEqual(settled, ['small']);
    stream.hold();
    sender.send(message(0, 'x'.repeat(2000)), 'large', () => settled.push('large'));
    assert.equal(sender.blocked, true, 'a full stream blocks the sender');
    sender.send(message(0), 'after', () => settled.push('after'));
    assert.deepEqual(settled, ['small']);
    stream.release();
    await nextTurn();
    assert.deepEqual(settled, ['small', 'large', 'after']);
    assert.equal(sender.blocked, false);
    assert.equal(drains, 1, 'the connection is told to send again');
  });

  it('answers at once a message that cannot be encoded, and sends nothing for it', () => {
    const stream = new RecordingStream();
    const sender = new PublishSender(stream, 5, 'message-id', () => undefined);
    let answer: Error | undefined;
    sender.send({ ...message(1), properties: { userProperties: { note: 'x'.repeat(70_000) } } }, 'too-long', (error) => (answer = error));
    assert.match(answer?.message ?? '', /the user property value is 70000 bytes/);
    sender.send(message(1), 'next', () => undefined);
    assert.deepEqual(
      stream.packets(5).map((packet) => packet.messageId),
      [2],
    );
  });
});
