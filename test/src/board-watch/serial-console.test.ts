import { strict as assert } from 'assert';
import { CONSOLE_LINES, CONSOLE_LINE_BYTES, SerialConsole } from '../../../src/board-watch/serial-console';

const HELLO = '{"type":"hello","firmware":"ds18b20-bridge","version":"1.0.0","protocol":1}';

describe('board watch: serial console', () => {
  it('keeps bridge lines as they are, other printable text as text and the rest as hex', () => {
    const console = new SerialConsole(() => 1000);
    console.receive(Buffer.from(`${HELLO}\r\nready?\n`, 'latin1'));
    console.receive(Buffer.from([0x01, 0xfe, 0x41, 0x0a]));
    const lines = console.lines;
    assert.deepEqual(
      lines.map((l) => [l.kind, l.text]),
      [
        ['protocol', HELLO],
        ['text', 'ready?'],
        ['hex', '01 fe 41'],
      ],
    );
    assert.deepEqual(
      lines.map((l) => l.seq),
      [1, 2, 3],
    );
    assert.equal(lines[0].at, 1000);
  });

  it('notes garbled bytes after a reset as the ROM boot log, until the first bridge line', () => {
    const console = new SerialConsole();
    console.receive(Buffer.from([0x8c, 0x9e, 0xe0, 0x72, 0x0a]));
    console.receive(Buffer.from(`${HELLO}\n`, 'latin1'));
    console.receive(Buffer.from([0x8c, 0x9e, 0xe0, 0x72, 0x0a]));
    console.note('resumed');
    console.receive(Buffer.from([0x8c, 0x9e, 0xe0, 0x72, 0x0a]));
    assert.deepEqual(
      console.lines.map((l) => l.bootRom === true),
      [true, false, false, false, true],
    );
  });

  it('cuts text without a newline into pieces and keeps only the last 500 lines', () => {
    const console = new SerialConsole();
    console.receive(Buffer.alloc(CONSOLE_LINE_BYTES * 2 + 5, 0x41));
    assert.equal(console.lines.length, 2);
    assert.equal(console.lines[0].text.length, CONSOLE_LINE_BYTES);
    for (let i = 0; i < CONSOLE_LINES + 20; i++) console.receive(Buffer.from(`line ${i}\n`));
    assert.equal(console.lines.length, CONSOLE_LINES);
    assert.equal(console.lines[CONSOLE_LINES - 1].text, `line ${CONSOLE_LINES + 19}`);
    const last = console.lastSeq;
    console.note('flash', 'writing', 40);
    assert.deepEqual(
      console.since(last).map((l) => [l.kind, l.event, l.text, l.percent]),
      [['event', 'flash', 'writing', 40]],
    );
  });
});
