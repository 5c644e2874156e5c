import { strict as assert } from 'assert';
import fc from 'fast-check';
import { CommandReader, parseCommand } from '../../../../src/sim/bridge/command-reader';

describe('simulated bridge command reader', () => {
  it('parses the commands of PROTOCOL.md section 4', () => {
    assert.deepEqual(parseCommand('read'), { kind: 'read' });
    assert.deepEqual(parseCommand(' \tres  12 '), { kind: 'res', argument: 12 });
    assert.deepEqual(parseCommand('interval 0'), { kind: 'interval', argument: 0 });
    assert.deepEqual(parseCommand('interval 86400001'), { kind: 'bad_argument', command: 'interval' });
    assert.deepEqual(parseCommand('res 12 13'), { kind: 'bad_argument', command: 'res' });
    assert.deepEqual(parseCommand('READ'), { kind: 'bad_command' });
    assert.equal(parseCommand('   '), null);
  });

  it('ignores \\r, splits lines across chunks and discards long lines whole', () => {
    const reader = new CommandReader();
    assert.deepEqual(reader.push(Buffer.from('sc')), []);
    assert.deepEqual(reader.push(Buffer.from('an\r\n' + 'y'.repeat(64) + ' read\nhello\n')), [
      { kind: 'scan' }, { kind: 'line_too_long' }, { kind: 'hello' },
    ]);
  });

  it('turns any byte stream into known commands only (fuzz)', () => {
    const kinds = new Set(['hello', 'scan', 'read', 'interval', 'res', 'bad_argument', 'bad_command', 'line_too_long']);
    fc.assert(
      fc.property(fc.array(fc.uint8Array({ maxLength: 80 }), { maxLength: 10 }), (chunks) => {
        const reader = new CommandReader();
        for (const chunk of chunks) for (const command of reader.push(chunk)) assert.ok(kinds.has(command.kind));
      }),
      { numRuns: 500 },
    );
  });
});
