// Node.js binaries of other major versions, from the npm registry, through the script that CI and
// `npm start` use too (scripts/ensure-node.js, plain JavaScript outside the TypeScript tree).
import * as path from 'path';

interface NodeBinaries {
  /** A Node.js binary of `major`: this one when it matches, else one installed under .cache/node. */
  ensureNode: (major: number) => string;
  /** npm's own entry script, to run npm on another Node.js. */
  npmCli: () => string;
}

// eslint-disable-next-line @typescript-eslint/no-require-imports -- a CommonJS script outside the TypeScript tree
export const { ensureNode, npmCli } = require(path.resolve(__dirname, '..', '..', '..', 'scripts', 'ensure-node.js')) as NodeBinaries;
