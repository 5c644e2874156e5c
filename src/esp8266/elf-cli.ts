// Command line for the firmware build: writes the v1 image of an ESP8266 ELF program.
//   node dist/src/esp8266/elf-cli.js <in.elf> <out.bin> [--flash-mode dout] [--flash-size 4MB] [--flash-freq 40m]
import { hex } from '../hex';
import { readFileSync, writeFileSync } from 'fs';

import { parseElf } from './elf';
import { elfToImage, ImageOptions } from './elf2image';
import { isFlashFrequency, isFlashMode, isFlashSizeName } from './flash-params';

function parseArguments(args: string[]): { input: string; output: string; options: ImageOptions } {
  const positional: string[] = [];
  const options: ImageOptions = { flashMode: 'dout', flashSize: '4MB', flashFrequency: '40m' };
  for (let i = 0; i < args.length; i += 1) {
    const arg = args[i];
    if (!arg.startsWith('--')) {
      positional.push(arg);
      continue;
    }
    const value = args[i + 1] ?? '';
    i += 1;
    if (arg === '--flash-mode' && isFlashMode(value)) options.flashMode = value;
    else if (arg === '--flash-size' && isFlashSizeName(value)) options.flashSize = value;
    else if (arg === '--flash-freq' && isFlashFrequency(value)) options.flashFrequency = value;
    else throw new Error(`unknown option or value: ${arg} ${value}`);
  }
  if (positional.length !== 2) throw new Error('usage: elf-cli <in.elf> <out.bin> [--flash-mode M] [--flash-size S] [--flash-freq F]');
  return { input: positional[0], output: positional[1], options };
}

function main(): void {
  const { input, output, options } = parseArguments(process.argv.slice(2));
  const built = elfToImage(parseElf(readFileSync(input)), options);
  if (built.irom) {
    throw new Error(
      `${input} has code linked to run from flash (offset ${hex(built.irom.flashOffset)}); this tool writes one RAM-only image`,
    );
  }
  writeFileSync(output, built.image);
  const sizes = built.segments.map((s) => `${hex(s.address)}+${s.data.length}`).join(', ');
  process.stdout.write(`${output}: ${built.image.length} bytes, segments ${sizes}\n`);
}

try {
  main();
} catch (error) {
  process.stderr.write(`elf-cli: ${(error as Error).message}\n`);
  process.exitCode = 1;
}
