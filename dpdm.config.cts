// Import cycles in the runtime (src/, nodes/), checked by `npm run lint`. Type-only imports count: a
// cycle through `import type` costs nothing at run time, yet still ties a module to the layer above
// it (a store that names the connection's types depends on the connection), so they are fixed, not
// ignored. One exception, by design: the LX106 core's parts (decoder, instruction set, busy-wait)
// name the `Cpu` they run on while cpu.ts wires them in, the shape QEMU's target/xtensa has too.
// Only those edges, parts of src/sim/cpu/ naming src/sim/cpu/cpu.ts, are left out of the check.
module.exports = {
  files: ['src/**/*.ts', 'nodes/**/*.ts'],
  exitCode: 'circular:1',
  tree: false,
  warning: false,
  progress: false,
  skipImports: ['src/sim/cpu/.+:src/sim/cpu/cpu\\.ts'],
};
