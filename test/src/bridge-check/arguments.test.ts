import { strict as assert } from 'node:assert';
import { ArgumentError, DEFAULT_CYCLES, DEFAULT_FLASH_BAUD, parseCheckArguments } from '../../../src/bridge-check/arguments';

function options(args: string[]) {
  const parsed = parseCheckArguments(args);
  assert.equal(parsed.kind, 'check');
  return parsed.kind === 'check' ? parsed.options : assert.fail('not a check');
}

function refused(args: string[], reason: RegExp): void {
  assert.throws(
    () => parseCheckArguments(args),
    (error: Error) => error instanceof ArgumentError && reason.test(error.message),
  );
}

describe('bridge-check arguments', () => {
  it('takes a port alone with the defaults', () => {
    assert.deepEqual(options(['/dev/ttyUSB0']), {
      port: '/dev/ttyUSB0',
      cycles: DEFAULT_CYCLES,
      flash: false,
      reset: 'auto',
      flashBaud: DEFAULT_FLASH_BAUD,
    });
  });

  it('takes every option, in any order around the port', () => {
    assert.deepEqual(options(['--cycles', '12', '--flash', 'COM3', '--reset', 'none', '--flash-baud', '115200']), {
      port: 'COM3',
      cycles: 12,
      flash: true,
      reset: 'none',
      flashBaud: 115200,
    });
  });

  it('takes a backup file with --flash', () => {
    assert.equal(options(['p', '--flash', '--backup', 'old.bin']).backup, 'old.bin');
  });

  it('answers --help and -h before looking at anything else', () => {
    assert.deepEqual(parseCheckArguments(['--help']), { kind: 'help' });
    assert.deepEqual(parseCheckArguments(['--bogus', '/dev/ttyUSB0', '-h']), { kind: 'help' });
  });

  it('refuses a missing port, a second port and unknown options', () => {
    refused([], /a serial port is required/);
    refused(['--cycles', '3'], /a serial port is required/);
    refused(['/dev/ttyUSB0', '/dev/ttyUSB1'], /only one port.*\/dev\/ttyUSB1/);
    refused(['/dev/ttyUSB0', '--verbose'], /unknown option --verbose/);
  });

  it('refuses cycle counts that are not whole numbers from 1 to 1000', () => {
    for (const bad of ['0', '1001', '2.5', '-3', 'five', '1e2'])
      refused(['/dev/ttyUSB0', '--cycles', bad], /--cycles must be a whole number from 1 to 1000|--cycles needs a value/);
    assert.equal(options(['p', '--cycles', '1000']).cycles, 1000);
    assert.equal(options(['p', '--cycles', '1']).cycles, 1);
  });

  it('refuses an option whose value is missing', () => {
    refused(['/dev/ttyUSB0', '--cycles'], /--cycles needs a value/);
    refused(['/dev/ttyUSB0', '--flash', '--reset', '--cycles', '3'], /--reset needs a value/);
  });

  it('refuses reset modes and flash rates it does not know', () => {
    refused(['p', '--flash', '--reset', 'soft'], /--reset must be "auto" or "none"/);
    refused(['p', '--flash', '--flash-baud', '9600'], /--flash-baud must be a whole number from 115200 to 921600/);
    refused(['p', '--flash', '--flash-baud', '2000000'], /--flash-baud must be/);
  });

  it('refuses flash settings without --flash, which would silently do nothing', () => {
    refused(['p', '--reset', 'none'], /--reset only applies together with --flash/);
    refused(['p', '--flash-baud', '230400'], /--flash-baud only applies together with --flash/);
    refused(['p', '--backup', 'old.bin'], /--backup only applies together with --flash/);
    refused(['p', '--flash', '--backup'], /--backup needs a value/);
  });
});
