/**
 * `npm run bench`: measures the package and prints the figures as tables. Figures only,
 * never pass or fail: they depend on the machine. Pass section names to run a subset:
 * `npm run bench -- publish memory`.
 */
import os from 'node:os';
import { formatTable, BenchTable } from './table';
import { publishBench } from './publish';
import { memoryBench } from './memory';
import { flashBench } from './flash';
import { readBench } from './read';
import { onewireBench } from './onewire';
import { cpuBench } from './cpu';
import { boardBench } from './board';
import { sidebarBench } from './sidebar';

interface Section {
  name: string;
  run(): Promise<BenchTable[]>;
}

const sections: Section[] = [
  { name: 'publish', run: publishBench },
  { name: 'memory', run: memoryBench },
  { name: 'flash', run: flashBench },
  { name: 'read', run: readBench },
  { name: 'onewire', run: onewireBench },
  { name: 'cpu', run: cpuBench },
  { name: 'board', run: boardBench },
  { name: 'sidebar', run: sidebarBench },
];

async function main(): Promise<void> {
  const wanted = process.argv.slice(2);
  const chosen = sections.filter((section) => wanted.length === 0 || wanted.includes(section.name));
  if (chosen.length === 0) throw new Error(`no such section; choose from: ${sections.map((s) => s.name).join(', ')}`);
  console.log(`Node ${process.version}, ${os.cpus().length} cores, ${new Date().toISOString()}\n`);
  for (const section of chosen) {
    for (const table of await section.run()) console.log(formatTable(table));
  }
}

main().then(
  () => process.exit(0),
  (error: Error) => {
    console.error(error.stack ?? error.message);
    process.exit(1);
  },
);
