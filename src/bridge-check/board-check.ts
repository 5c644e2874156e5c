// The check itself: optionally write the bridge, then find it on the port, scan the bus, run the read
// cycles and gather everything into a report. It speaks to the board only through the bridge's serial
// protocol (firmware/PROTOCOL.md), so it checks a real board and a virtual one alike.
import { FlashError, describeOpenError } from '../esp8266/flash-errors';
import type { FlashProgress } from '../esp8266/flasher';
import { BRIDGE_FIRMWARE_NAME, isBridgeHello } from '../onewire/bridge-protocol';
import { BridgeClient, HelloEvent } from '../onewire/bridge-client';
import { SerialLink, closeLink, writeLink } from '../serial/serial-link';
import type { CheckOptions } from './arguments';
import type { Environment } from './environment';
import { LineTap } from './line-tap';
import type { CheckReport, FirmwareSummary, FlashSummary } from './report';
import { CheckTally } from './tally';
import { failures, progress as progressWords, report as reportWords } from './words';

/** The bridge talks at 115200 baud (PROTOCOL.md section 1). */
const BRIDGE_BAUD_RATE = 115200;

export interface BoardCheckDependencies {
  environment: Environment;
  openLink(path: string, baudRate: number): Promise<SerialLink>;
  flashBridge(options: CheckOptions, onProgress: (progress: FlashProgress) => void): Promise<FlashSummary>;
  /** A line about what the check is doing now (not part of the report). */
  progress(line: string): void;
  /** A monotonic clock in milliseconds, for cycle times. */
  now(): number;
  /** How long a `hello` or a `scan` may take; a board that just booted answers `hello` well within it. */
  commandTimeoutMs?: number;
  /** How long to wait for the user to press RESET after a write without DTR/RTS. */
  resetWaitMs?: number;
}

const DEFAULT_COMMAND_TIMEOUT_MS = 2000;
/** A board resetting after a write needs its boot ROM's ~0.1 s, plus margin for slow USB-UART bridges. */
const HELLO_ATTEMPTS = 3;
const DEFAULT_RESET_WAIT_MS = 60_000;

function messageOf(error: unknown): string {
  return error instanceof Error ? error.message : String(error);
}

class BoardCheck {
  private readonly tally = new CheckTally();
  private readonly tap = new LineTap();
  private readonly report: CheckReport;
  private lastHello: HelloEvent | undefined;
  private lostReason: string | undefined;

  constructor(
    private readonly options: CheckOptions,
    private readonly deps: BoardCheckDependencies,
  ) {
    this.report = {
      ...deps.environment,
      port: options.port,
      sensors: [],
      scanned: false,
      cyclesAsked: options.cycles,
      cycleDurationsMs: [],
      noiseLines: 0,
      malformedLines: 0,
      errors: [],
    };
  }

  async run(): Promise<CheckReport> {
    try {
      await this.flashIfAsked();
      await this.checkOverSerial();
    } catch (error) {
      this.report.failure = messageOf(error);
    }
    return this.finish();
  }

  private async flashIfAsked(): Promise<void> {
    if (!this.options.flash) return;
    // One line per phase, and one per 10 % within a phase, so a slow write still shows it moves.
    let lastStep: string | undefined;
    try {
      this.report.flash = await this.deps.flashBridge(this.options, ({ phase, percent }) => {
        const step = `${phase} ${Math.floor(percent / 10)}`;
        if (step === lastStep) return;
        lastStep = step;
        this.deps.progress(progressWords.flashPhase(phase, percent));
      });
    } catch (error) {
      // The flasher's advice names the device node's setting; on the command line it is an option.
      if (error instanceof FlashError && error.code === 'no-control-lines')
        throw new Error(failures.noControlLines(this.options.port), { cause: error });
      throw error;
    }
  }

  private async checkOverSerial(): Promise<void> {
    let link: SerialLink;
    try {
      link = await this.deps.openLink(this.options.port, BRIDGE_BAUD_RATE);
    } catch (error) {
      throw new Error(describeOpenError(this.options.port, error).message, { cause: error });
    }
    const client = new BridgeClient({
      write: (line) => writeLink(link, Buffer.from(line, 'latin1')),
      commandTimeoutMs: this.deps.commandTimeoutMs ?? DEFAULT_COMMAND_TIMEOUT_MS,
    });
    client.on('hello', (hello: HelloEvent) => (this.lastHello = hello));
    client.on('bus-error', (code: string) => this.tally.addError(reportWords.busError(code)));
    client.on('protocol-error', () => undefined); // counted by the tap, which also sees plain-text noise
    const onData = (chunk: Buffer): void => {
      this.tap.receive(chunk);
      client.receive(chunk);
    };
    const onClose = (error?: Error | null): void => {
      if (!error) return;
      this.lostReason = failures.portLost(this.options.port);
      client.interrupt(new Error(this.lostReason));
    };
    link.on('data', onData);
    link.on('close', onClose);
    try {
      await this.findBridge(client);
      await this.scan(client);
      await this.readCycles(client);
    } finally {
      link.removeListener('data', onData);
      link.removeListener('close', onClose);
      client.interrupt(new Error('the check ended'));
      await closeLink(link);
    }
  }

  private async findBridge(client: BridgeClient): Promise<void> {
    const waitForReset = this.report.flash !== undefined && !this.report.flash.restarted;
    if (waitForReset) this.deps.progress(progressWords.pressReset);
    else this.deps.progress(progressWords.waitingForHello(this.options.port));
    const helloTimeout = this.deps.commandTimeoutMs ?? DEFAULT_COMMAND_TIMEOUT_MS;
    const attempts = waitForReset ? Math.ceil((this.deps.resetWaitMs ?? DEFAULT_RESET_WAIT_MS) / helloTimeout) : HELLO_ATTEMPTS;
    for (let attempt = 0; attempt < attempts; attempt++) {
      try {
        const hello = await client.hello();
        this.report.firmware = firmwareOf(hello);
        return;
      } catch (error) {
        if (this.lostReason) throw new Error(this.lostReason, { cause: error });
        // A board that said who it is, and is not the bridge, will not become one by asking again.
        if (this.lastHello && !isBridgeHello(this.lastHello)) break;
        // The client turns a hello that timed out into "no answer ..."; anything else is not worth a retry.
        if (!messageOf(error).startsWith('no answer')) throw error;
      }
    }
    throw new Error(this.noBridgeReason());
  }

  private noBridgeReason(): string {
    const hello = this.lastHello;
    if (hello && hello.firmware === BRIDGE_FIRMWARE_NAME && !isBridgeHello(hello))
      return failures.otherProtocol(hello.version, hello.protocol);
    if (hello && !isBridgeHello(hello)) return failures.otherFirmware(hello.firmware, hello.protocol);
    if (this.report.flash) return failures.silentAfterReset(this.options.port);
    if (this.tap.noiseLines > 0) return failures.otherText(this.options.port, this.tap.noiseLines);
    return failures.noAnswer(this.options.port);
  }

  private async scan(client: BridgeClient): Promise<void> {
    try {
      this.tally.addSensors(await client.scan());
      this.report.scanned = true;
    } catch (error) {
      throw new Error(this.lostReason ?? failures.command(messageOf(error)), { cause: error });
    }
  }

  private async readCycles(client: BridgeClient): Promise<void> {
    for (let cycle = 1; cycle <= this.options.cycles; cycle++) {
      this.deps.progress(progressWords.reading(cycle, this.options.cycles));
      const started = this.deps.now();
      try {
        const result = await client.read();
        this.tally.addCycle(result, this.deps.now() - started);
      } catch (error) {
        throw new Error(this.lostReason ?? failures.command(messageOf(error)), { cause: error });
      }
    }
  }

  private finish(): CheckReport {
    const report = this.report;
    report.sensors = this.tally.sensorTallies;
    report.cycleDurationsMs = this.tally.cycleDurations;
    report.errors = this.tally.errors;
    report.noiseLines = this.tap.noiseLines;
    report.malformedLines = this.tap.malformedLines;
    if (report.failure === undefined && report.sensors.length === 0) report.failure = failures.noSensors(report.firmware?.pin);
    if (report.failure === undefined && this.tally.neverClean.length > 0) report.failure = failures.neverClean(this.tally.neverClean);
    return report;
  }
}

function firmwareOf(hello: HelloEvent): FirmwareSummary {
  const summary: FirmwareSummary = { firmware: hello.firmware, version: hello.version, protocol: hello.protocol };
  if (hello.pin !== undefined) summary.pin = hello.pin;
  return summary;
}

/** Runs a whole check; never throws: every failure ends up as the report's `failure`. */
export function runBoardCheck(options: CheckOptions, deps: BoardCheckDependencies): Promise<CheckReport> {
  return new BoardCheck(options, deps).run();
}
