import { strict as assert } from 'assert';
import helper from 'node-red-node-test-helper';
import { translatingCatalogs } from '../../support/catalogs';
import { Mosquitto, startMosquitto } from '../../support/mosquitto';
import { testPki, TestPki } from '../../support/pki';
import { subscribe, Subscriber } from '../../support/subscriber';

import brokerNode from '../../../nodes/flespi-broker/flespi-broker';
import outNode from '../../../nodes/flespi-mqtts-out/flespi-mqtts-out';
const injectNode: unknown = require('@node-red/nodes/core/common/20-inject'); // eslint-disable-line @typescript-eslint/no-require-imports -- a Node-RED core node: plain JavaScript, no types

helper.init(require.resolve('node-red'));

const TOKEN = 'Q'.repeat(64);

describe('flow inject → flespi-mqtts-out → mosquitto (TLS, token as username, MQTT 5)', function () {
  let pki: TestPki;
  let mosquitto: Mosquitto;
  let subscriber: Subscriber;

  before(async () => {
    pki = await testPki();
    mosquitto = await startMosquitto({ server: pki.server, token: TOKEN });
  });

  after(async () => {
    await mosquitto.stop();
  });

  beforeEach(() => helper.startServer());

  afterEach(async function () {
    await subscriber?.close();
    await helper.unload();
    await helper.stopServer();
  });

  it('delivers what the inject node sends, with its MQTT 5 properties', async () => {
    subscriber = await subscribe({ port: mosquitto.port, ca: pki.ca.cert, token: TOKEN, topic: 'sensors/#' });
    const flow = [
      { id: 'tab', type: 'tab' },
      {
        id: 'b1',
        type: 'flespi-broker',
        host: 'localhost',
        port: mosquitto.port,
        protocolVersion: 5,
        clientId: '',
        keepalive: 30,
        pin: '',
        bufferMessages: 100,
        bufferMegabytes: 1,
      },
      {
        id: 'inject',
        type: 'inject',
        z: 'tab',
        x: 100,
        y: 100,
        repeat: '',
        once: false,
        topic: '',
        props: [{ p: 'payload' }, { p: 'contentType', v: 'application/json', vt: 'str' }],
        payload: '{"ident":"28-0316a27950ff","timestamp":1764000000.123,"temperature":21.4375}',
        payloadType: 'json',
        wires: [['out']],
      },
      {
        id: 'out',
        type: 'flespi-mqtts-out',
        z: 'tab',
        x: 300,
        y: 100,
        broker: 'b1',
        topic: 'sensors/{{ident}}/temperature',
        qos: 1,
        retain: false,
        outputs: 0,
        wires: [],
      },
    ];
    await helper.load([translatingCatalogs, brokerNode, outNode, injectNode], flow, {
      b1: { token: `  FlespiToken ${TOKEN}\n`, ca: pki.ca.cert },
    });
    await helper.request().post('/inject/inject').expect(200);
    const [message] = await subscriber.waitFor(1);
    assert.equal(message.topic, 'sensors/28-0316a27950ff/temperature');
    assert.deepEqual(JSON.parse(message.payload), { ident: '28-0316a27950ff', timestamp: 1764000000.123, temperature: 21.4375 });
    assert.equal(message.properties?.contentType, 'application/json');
  });
});
