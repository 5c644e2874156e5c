import { waitUntil } from '../../support/wait';

/** What a deployed read node did, recorded as it happens: messages out, errors, warnings, log lines, statuses. */
export interface RecordedMsg {
  topic?: string;
  payload: any;
  errors?: Array<{ ident: string; code: string; message: string }>;
}

type Spied = { on(event: string, cb: (arg: any) => void): void };

export class NodeRecord {
  readonly messages: RecordedMsg[] = [];
  readonly errors: Array<{ message: string; msg?: RecordedMsg }> = [];
  readonly warnings: string[] = [];
  readonly logs: string[] = [];
  readonly statuses: string[] = [];

  constructor(read: Spied, output: Spied) {
    output.on('input', (msg: RecordedMsg) => this.messages.push(msg));
    read.on('call:error', (call: { args: [unknown, RecordedMsg?] }) => {
      const first = call.args[0];
      this.errors.push({ message: first instanceof Error ? first.message : String(first), msg: call.args[1] });
    });
    read.on('call:warn', (call: { args: [unknown] }) => this.warnings.push(String(call.args[0])));
    read.on('call:log', (call: { args: [unknown] }) => this.logs.push(String(call.args[0])));
    read.on('call:status', (call: { args: [{ text?: string }] }) => this.statuses.push(call.args[0]?.text ?? ''));
  }

  /** Waits until `count` messages arrived in all, and gives the ones after the first `from`. */
  async messagesUpTo(count: number, from = 0, timeoutMs = 10000): Promise<RecordedMsg[]> {
    await waitUntil(() => this.messages.length >= count, timeoutMs, `${count} messages (have ${this.messages.length})`);
    return this.messages.slice(from, count);
  }

  async status(pattern: RegExp, timeoutMs = 10000): Promise<string> {
    await waitUntil(
      () => this.statuses.some((s) => pattern.test(s)),
      timeoutMs,
      `a status matching ${pattern} (seen: ${this.statuses.join(' | ')})`,
    );
    return this.statuses.filter((s) => pattern.test(s)).at(-1) as string;
  }
}
