#!/usr/bin/env node
// virtual-esp8266: a virtual ESP8266 behind a real tty, for serial tools outside this process
// (esptool, a terminal, another Node-RED). Prints the tty path to use, then runs until stopped.
import { readFileSync } from 'node:fs';
import { attachBoardToPty } from './pty';
import { getVirtualBoard } from './registry';

const USAGE = `usage: virtual-esp8266 --pty [--name NAME] [--firmware FILE] [--boot download|flash] [--flash-size BYTES] [--rom-baud-only RATE] [--link PATH]
  --pty            attach the board to a socat pseudo-terminal pair and print the tty to open
  --name           board name (default "pty")
  --firmware       an ESP8266 image written at flash offset 0 before the board starts
  --boot           download: wait in the ROM loader for a flasher (default); flash: run the firmware
  --flash-size     flash chip size in bytes, a power of two (default 4194304)
  --rom-baud-only  the ROM loader hears only this rate, as behind an adapter that cannot carry faster ones
                   (default: it auto-bauds on the SYNC at whatever rate the tool set on the tty)
  --link           also make the tty reachable under this path (a symlink socat maintains)`;

interface CliOptions {
  pty: boolean;
  name: string;
  firmware?: string;
  boot: 'download' | 'flash';
  flashSize?: number;
  romBaudOnly?: number;
  link?: string;
}

export function parseArguments(args: string[]): CliOptions {
  const options: CliOptions = { pty: false, name: 'pty', boot: 'download' };
  for (let i = 0; i < args.length; i++) {
    const flag = args[i];
    const value = (): string => {
      const next = args[++i];
      if (next === undefined || next.startsWith('--')) throw new Error(`${flag} needs a value`);
      return next;
    };
    if (flag === '--pty') options.pty = true;
    else if (flag === '--name') options.name = value();
    else if (flag === '--firmware') options.firmware = value();
    else if (flag === '--link') options.link = value();
    else if (flag === '--boot') {
      const boot = value();
      if (boot !== 'download' && boot !== 'flash') throw new Error('--boot must be "download" or "flash"');
      options.boot = boot;
    } else if (flag === '--flash-size') {
      const size = Number(value());
      if (!Number.isInteger(size)) throw new Error('--flash-size must be a whole number of bytes');
      options.flashSize = size;
    } else if (flag === '--rom-baud-only') {
      const rate = Number(value());
      if (!Number.isInteger(rate) || rate <= 0) throw new Error('--rom-baud-only must be a baud rate, such as 115200');
      options.romBaudOnly = rate;
    } else throw new Error(`unknown option ${flag}`);
  }
  if (!options.pty) throw new Error('--pty is required (it is the only attachment outside a Node process)');
  return options;
}

async function main(): Promise<void> {
  const args = process.argv.slice(2);
  if (args.includes('--help') || args.includes('-h')) {
    process.stdout.write(`${USAGE}\n`);
    return;
  }
  let options: CliOptions;
  try {
    options = parseArguments(args);
  } catch (error) {
    process.stderr.write(`${(error as Error).message}\n${USAGE}\n`);
    process.exitCode = 2;
    return;
  }
  const firmware = options.firmware ? new Uint8Array(readFileSync(options.firmware)) : undefined;
  const board = getVirtualBoard(options.name, { firmware, flashSize: options.flashSize, romBaudOnly: options.romBaudOnly });
  const attachment = await attachBoardToPty(board, { hostLink: options.link, boot: options.boot });
  process.stdout.write(`${attachment.hostPath}\n`);
  let stopping = false;
  const stop = (): void => {
    stopping = true;
    void attachment.close().finally(() => process.exit(0));
  };
  process.once('SIGINT', stop);
  process.once('SIGTERM', stop);
  void attachment.ended.then(() => {
    if (stopping) return;
    process.stderr.write('virtual-esp8266: socat ended, the tty is gone\n');
    process.exit(1);
  });
}

if (require.main === module) {
  main().catch((error: Error) => {
    process.stderr.write(`virtual-esp8266: ${error.message}\n`);
    process.exit(1);
  });
}
