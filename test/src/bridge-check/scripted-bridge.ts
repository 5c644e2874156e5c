// A serial link whose far end answers the bridge's commands with lines a test scripts, written from
// firmware/PROTOCOL.md: enough to drive the check through every answer a real board may give.
import { FakeLink } from '../serial/fake-link';

export const BRIDGE_HELLO =
  '{"type":"hello","firmware":"ds18b20-bridge","version":"1.0.0","protocol":1,"pin":4,"interval":0,"resolution":0,"max_sensors":16}';

export function sensorLine(ident: string, model = 'DS18B20', power = 'external', resolution = 12): string {
  return `{"type":"sensor","ident":"${ident}","model":"${model}","power":"${power}","resolution":${resolution}}`;
}

export function tempLine(ident: string, millicelsius: number): string {
  return `{"type":"temp","ident":"${ident}","millicelsius":${millicelsius},"resolution":12,"power":"external"}`;
}

export function errLine(code: string, ident?: string): string {
  return ident ? `{"type":"err","code":"${code}","ident":"${ident}"}` : `{"type":"err","code":"${code}"}`;
}

export function cycleLine(count: number, errors: number): string {
  return `{"type":"cycle","trigger":"read","count":${count},"errors":${errors}}`;
}

/** The lines to send back for the n-th (from 1) time `command` arrives; undefined sends nothing. */
export type Script = (command: string, n: number) => string[] | undefined;

export class ScriptedBridgeLink extends FakeLink {
  readonly commands: string[] = [];

  constructor(
    path: string,
    private readonly script: Script,
  ) {
    super(path, 115200);
  }

  override write(data: Buffer, callback?: (error: Error | null | undefined) => void): boolean {
    super.write(data, callback);
    const command = data.toString('latin1').trim();
    this.commands.push(command);
    const lines = this.script(command, this.commands.filter((c) => c === command).length);
    if (lines) setImmediate(() => this.receive(Buffer.from(lines.map((line) => `${line}\n`).join(''), 'latin1')));
    return true;
  }
}
