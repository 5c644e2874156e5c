import { strict as assert } from 'assert';
import fc from 'fast-check';
import * as mqttPacket from 'mqtt-packet';
import type { PublishProperties, PublishRequest } from '../../../src/flespi/message';
import { encodePublish } from '../../../src/flespi/publish-packet';

const ID = 'message-id';

/** The same packet from mqtt-packet, MQTT.js's encoder: properties in the order ours writes them, the id last. */
function reference(request: PublishRequest, packetId: number, protocolVersion: 4 | 5, id?: string): Buffer {
  let properties: mqttPacket.IPublishPacket['properties'];
  if (protocolVersion === 5) {
    const given: PublishProperties = request.properties ?? {};
    const userProperties: Record<string, string | string[]> = {};
    for (const [name, value] of Object.entries(given.userProperties ?? {}))
      if (!(id !== undefined && name === ID)) userProperties[name] = value;
    if (id !== undefined) userProperties[ID] = id;
    properties = {
      ...(given.messageExpiryInterval !== undefined ? { messageExpiryInterval: given.messageExpiryInterval } : {}),
      ...(given.contentType !== undefined ? { contentType: given.contentType } : {}),
      ...(Object.keys(userProperties).length > 0 ? { userProperties } : {}),
    };
  }
  return mqttPacket.generate(
    {
      cmd: 'publish',
      topic: request.topic,
      payload: request.payload,
      qos: request.qos,
      retain: request.retain,
      dup: false,
      ...(request.qos > 0 ? { messageId: packetId } : {}),
      ...(properties ? { properties } : {}),
    },
    { protocolVersion },
  );
}

const text = (maxLength: number) => fc.string({ unit: 'binary', maxLength });
const name = text(12).filter((key) => key !== '__proto__');
const properties: fc.Arbitrary<PublishProperties | undefined> = fc.option(
  fc.record(
    {
      messageExpiryInterval: fc.integer({ min: 0, max: 0xffffffff }),
      contentType: text(20),
      userProperties: fc.dictionary(
        fc.oneof(name, fc.constant(ID)),
        fc.oneof(text(20), fc.array(text(8), { minLength: 1, maxLength: 3 })),
        { maxKeys: 4 },
      ),
    },
    { requiredKeys: [] },
  ),
  { nil: undefined },
);
const request: fc.Arbitrary<PublishRequest> = fc.record({
  topic: text(40).filter((topic) => topic.length > 0),
  payload: fc.oneof(
    text(300),
    fc.uint8Array({ maxLength: 300 }).map((bytes) => Buffer.from(bytes)),
  ),
  qos: fc.constantFrom(0 as const, 1 as const),
  retain: fc.boolean(),
  properties,
});

describe('PUBLISH packet encoding', () => {
  it("writes the bytes MQTT.js's own encoder writes, for MQTT 5 and 3.1.1, with and without an id", () => {
    fc.assert(
      fc.property(
        request,
        fc.integer({ min: 1, max: 0xffff }),
        fc.constantFrom(4 as const, 5 as const),
        fc.option(text(18), { nil: undefined }),
        (req, packetId, version, id) => {
          const ours = encodePublish(req, packetId, version, id === undefined ? undefined : { name: ID, value: id });
          assert.deepEqual(ours, reference(req, packetId, version, version === 5 ? id : undefined));
        },
      ),
      { numRuns: 500 },
    );
  });

  it('gives the id as the last user property, in place of one of that name the message brought', () => {
    const packet = encodePublish(
      { topic: 't', payload: 'x', qos: 1, retain: false, properties: { userProperties: { [ID]: 'forged', source: 'ds18b20' } } },
      7,
      5,
      { name: ID, value: 'abc123' },
    );
    const parser = mqttPacket.parser({ protocolVersion: 5 });
    let parsed: mqttPacket.IPublishPacket | undefined;
    parser.on('packet', (got: mqttPacket.Packet) => {
      parsed = got as mqttPacket.IPublishPacket;
    });
    parser.parse(packet);
    const got = { ...parsed?.properties?.userProperties };
    assert.deepEqual(got, { source: 'ds18b20', [ID]: 'abc123' });
    assert.deepEqual(Object.keys(got), ['source', ID]);
    assert.equal(parsed?.messageId, 7);
  });

  it('refuses a packet id outside 1 to 65535 at QoS 1, and strings or packets MQTT cannot carry', () => {
    const base: PublishRequest = { topic: 't', payload: 'x', qos: 1, retain: false };
    assert.throws(() => encodePublish(base, 0, 5), /packet id 0 is not between 1 and 65535/);
    assert.throws(() => encodePublish(base, 65536, 5), /packet id 65536/);
    assert.doesNotThrow(() => encodePublish({ ...base, qos: 0 }, 0, 5), 'QoS 0 sends no packet id');
    const long = 'é'.repeat(40_000);
    assert.throws(() => encodePublish({ ...base, topic: long }, 1, 4), /the topic is 80000 bytes; MQTT strings hold at most 65535/);
    assert.throws(
      () => encodePublish({ ...base, properties: { userProperties: { a: long } } }, 1, 5),
      /the user property value is 80000 bytes/,
    );
    assert.throws(() => encodePublish({ ...base, properties: { contentType: long } }, 1, 5), /the content type is 80000 bytes/);
    assert.throws(
      () => encodePublish({ ...base, payload: Buffer.allocUnsafe(268_435_456) }, 1, 4),
      /an MQTT packet holds at most 268435455/,
    );
  });
});
