import { strict as assert } from 'assert';
import { boardPayload, boardTopic, bridgeBoardIdent, w1BoardIdent } from '../../../src/readings/board-message';
import { checkPublishTopic } from '../../../src/field-rules';

const A = '28-0316a27950ff';
const B = '28-0416b3c4d5e6';

describe('readings: one message per board', () => {
  it('names the board after its MAC, its port, or the host of the w1 bus', () => {
    assert.equal(bridgeBoardIdent({ path: '/dev/ttyUSB0', mac: '5C:CF:7F:0A:1B:2C' }), 'esp8266-5ccf7f0a1b2c');
    assert.equal(
      bridgeBoardIdent({ path: '/dev/serial/by-id/usb-Silicon_Labs_CP2102_0001-if00-port0' }),
      'esp8266-usb-silicon_labs_cp2102_0001-if00-port0',
    );
    assert.equal(bridgeBoardIdent({ path: 'sim:kitchen' }), 'esp8266-sim-kitchen');
    assert.equal(w1BoardIdent('Raspberry Pi#4'), 'w1-raspberry-pi-4');
  });

  it('flattens the readings into temperature.<name or id> beside the ident and the latest timestamp', () => {
    const payload = boardPayload('esp8266-5ccf7f0a1b2c', [
      { ident: A, timestamp: 10.5, temperature: 21.5, name: 'Boiler Top' },
      { ident: B, timestamp: 10.6, temperature: 4.25 },
    ]);
    assert.deepEqual(payload, {
      ident: 'esp8266-5ccf7f0a1b2c',
      timestamp: 10.6,
      'temperature.boiler_top': 21.5,
      [`temperature.${B}`]: 4.25,
    });
  });

  it('falls back to the ids when two sensors share a name, and suggests a topic flespi takes', () => {
    const payload = boardPayload('w1-pi', [
      { ident: A, timestamp: 1, temperature: 1, name: 'Tank' },
      { ident: B, timestamp: 1, temperature: 2, name: 'tank' },
    ]);
    assert.deepEqual(Object.keys(payload), ['ident', 'timestamp', `temperature.${A}`, `temperature.${B}`]);
    assert.equal(boardTopic('w1-pi'), 'sensors/w1-pi/temperature');
    assert.equal(checkPublishTopic(boardTopic(w1BoardIdent('my host'))), undefined);
  });
});
