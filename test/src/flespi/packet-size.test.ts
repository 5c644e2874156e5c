import { strict as assert } from 'assert';
import * as mqttPacket from 'mqtt-packet';
import { publishPacketSize, PublishShape } from '../../../src/flespi/packet-size';

// mqtt-packet (MQTT.js's own encoder) is the reference for the bytes a broker receives.

function encoded(shape: PublishShape, protocolVersion: 4 | 5): number {
  return mqttPacket.generate(
    {
      cmd: 'publish',
      topic: shape.topic,
      payload: shape.payload,
      qos: shape.qos as mqttPacket.QoS,
      retain: false,
      dup: false,
      messageId: shape.qos > 0 ? 1 : undefined,
      properties: shape.properties,
    },
    { protocolVersion },
  ).length;
}

describe('PUBLISH packet size', () => {
  const shapes: Array<PublishShape & { protocolVersion: 4 | 5 }> = [
    { topic: 't', payload: Buffer.alloc(0), qos: 0, protocolVersion: 4 },
    { topic: 'sensors/28-0316a27950ff/temperature', payload: Buffer.alloc(100), qos: 1, protocolVersion: 4 },
    { topic: 'é/ü', payload: Buffer.alloc(200), qos: 1, protocolVersion: 5 },
    {
      topic: 'a',
      payload: Buffer.alloc(20_000),
      qos: 0,
      protocolVersion: 5,
      properties: { messageExpiryInterval: 60, contentType: 'application/json', userProperties: { a: 'b', list: ['1', '22'] } },
    },
    {
      topic: 'big',
      payload: Buffer.alloc(3_000_000),
      qos: 1,
      protocolVersion: 5,
      properties: { payloadFormatIndicator: true, topicAlias: 3 },
    },
  ];
  for (const shape of shapes) {
    it(`matches the encoder for ${shape.payload.length} payload bytes, MQTT ${shape.protocolVersion === 5 ? '5' : '3.1.1'}`, () => {
      assert.equal(publishPacketSize(shape, shape.protocolVersion), encoded(shape, shape.protocolVersion));
    });
  }
});
