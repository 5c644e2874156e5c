// Counts what the bridge client passes over in silence: lines that are not JSON (boot-ROM output at the
// wrong baud rate, another firmware's prints) and JSON lines it could not use (malformed, unknown type).
import { MAX_BOARD_LINE_BYTES, parseBridgeLine } from '../onewire/bridge-protocol';
import { LineSplitter } from '../onewire/line-splitter';

export class LineTap {
  noiseLines = 0;
  malformedLines = 0;
  private readonly splitter = new LineSplitter(
    MAX_BOARD_LINE_BYTES,
    (line) => this.classify(line),
    // Boot-ROM text read at the wrong baud rate seldom holds a newline byte, so it often overflows a line:
    // that is noise too, unless it started as JSON.
    (excerpt) => (excerpt.startsWith('{') ? (this.malformedLines += 1) : (this.noiseLines += 1)),
  );

  receive(bytes: Uint8Array): void {
    this.splitter.push(bytes);
  }

  private classify(line: string): void {
    // The firmware sends "\r\n" after the boot ROM's text so that it ends in a line of its own; an empty
    // line is that separator, not noise.
    if (line.replace(/\r/g, '').trim() === '') return;
    const parsed = parseBridgeLine(line);
    if (parsed.kind === 'noise') this.noiseLines += 1;
    else if (parsed.kind === 'error') this.malformedLines += 1;
  }
}
