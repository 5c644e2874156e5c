#!/usr/bin/env node
// esp8266-bridge-check: checks a board running the bridge firmware (optionally writing it first) and
// prints a report for a bug report on stdout; what it is doing goes to stderr as it happens.
import { ArgumentError, ParsedArguments, parseCheckArguments } from './arguments';
import { runBoardCheck } from './board-check';
import { describeEnvironment } from './environment';
import { flashBundledBridge } from './flash-bridge';
import { formatReport } from './report';
import { COMMAND, USAGE, argumentErrors } from './words';
import '../virtual-ports';
import { openSerialPort } from '../serial/open-port';

const EXIT_PASSED = 0;
const EXIT_FAILED = 1;
const EXIT_BAD_ARGUMENTS = 2;

async function main(args: string[]): Promise<number> {
  let parsed: ParsedArguments;
  try {
    parsed = parseCheckArguments(args);
  } catch (error) {
    if (!(error instanceof ArgumentError)) throw error;
    process.stderr.write(`${COMMAND}: ${error.message}\n${argumentErrors.seeHelp}\n`);
    return EXIT_BAD_ARGUMENTS;
  }
  if (parsed.kind === 'help') {
    process.stdout.write(`${USAGE}\n`);
    return EXIT_PASSED;
  }
  const report = await runBoardCheck(parsed.options, {
    environment: describeEnvironment(),
    openLink: (path, baudRate) => openSerialPort({ path, baudRate }),
    flashBridge: flashBundledBridge,
    progress: (line) => process.stderr.write(`${line}\n`),
    now: () => performance.now(),
  });
  process.stdout.write(formatReport(report));
  if (report.failure === undefined) return EXIT_PASSED;
  process.stderr.write(`${COMMAND}: ${report.failure}\n`);
  return EXIT_FAILED;
}

if (require.main === module) {
  main(process.argv.slice(2)).then(
    (code) => {
      process.exitCode = code;
    },
    (error: Error) => {
      process.stderr.write(`${COMMAND}: ${error.message}\n`);
      process.exitCode = EXIT_FAILED;
    },
  );
}
