/**
 * The bridge firmware's command input (firmware/PROTOCOL.md section 4): bytes in, whole commands out.
 * `\r` is ignored, a line longer than 63 characters is discarded whole, and a command is a lower-case word
 * with at most one decimal argument.
 */

export const MAX_COMMAND_CHARS = 63;

export type Command =
  | { kind: 'hello' | 'scan' | 'read' }
  | { kind: 'interval' | 'res'; argument: number }
  | { kind: 'bad_argument'; command: string }
  | { kind: 'bad_command' }
  | { kind: 'line_too_long' };

const ARGUMENT_RANGES: Record<'interval' | 'res', (n: number) => boolean> = {
  interval: (n) => n === 0 || (n >= 1000 && n <= 86400000),
  res: (n) => n >= 9 && n <= 12,
};

export class CommandReader {
  private text = '';
  private tooLong = false;

  /** Feeds received bytes; returns the commands completed by them, in order (empty lines give none). */
  push(bytes: Uint8Array): Command[] {
    const commands: Command[] = [];
    for (const byte of bytes) {
      if (byte === 0x0d) continue;
      if (byte === 0x0a) {
        if (this.tooLong) commands.push({ kind: 'line_too_long' });
        else {
          const command = parseCommand(this.text);
          if (command) commands.push(command);
        }
        this.text = '';
        this.tooLong = false;
        continue;
      }
      if (this.tooLong) continue;
      if (this.text.length >= MAX_COMMAND_CHARS) {
        this.tooLong = true;
        this.text = '';
        continue;
      }
      this.text += String.fromCharCode(byte);
    }
    return commands;
  }
}

export function parseCommand(line: string): Command | null {
  const words = line.split(/[ \t]+/).filter((w) => w.length > 0);
  if (words.length === 0) return null;
  const [word, ...rest] = words;
  switch (word) {
    case 'hello':
    case 'scan':
    case 'read':
      return rest.length === 0 ? { kind: word } : { kind: 'bad_argument', command: word };
    case 'interval':
    case 'res': {
      if (rest.length !== 1 || !/^\d{1,9}$/.test(rest[0])) return { kind: 'bad_argument', command: word };
      const argument = parseInt(rest[0], 10);
      return ARGUMENT_RANGES[word](argument) ? { kind: word, argument } : { kind: 'bad_argument', command: word };
    }
    default:
      return { kind: 'bad_command' };
  }
}
