import assert from 'node:assert/strict';
import { describeOpenError } from '../../../src/esp8266/flash-errors';

describe('port open errors', () => {
  const cases: Array<[string, string, RegExp]> = [
    ['Error Resource temporarily unavailable Cannot lock port', 'port-busy', /another program holds \/dev\/ttyUSB0/],
    ['Error: Device or resource busy, cannot open /dev/ttyUSB0', 'port-busy', /another program holds/],
    ['Error: No such file or directory, cannot open /dev/ttyUSB0', 'port-missing', /does not exist: check the cable/],
    ['Error: Permission denied, cannot open /dev/ttyUSB0', 'port-denied', /add the Node-RED user to the "dialout" group/],
    ['Error: something odd', 'flash-failed', /could not open \/dev\/ttyUSB0: Error: something odd/],
  ];
  for (const [message, code, pattern] of cases) {
    it(`"${message}" becomes ${code}`, () => {
      const error = describeOpenError('/dev/ttyUSB0', new Error(message));
      assert.equal(error.code, code);
      assert.match(error.message, pattern);
      assert.equal((error.cause as Error).message, message);
    });
  }
});
