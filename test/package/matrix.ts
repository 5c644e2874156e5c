// The Node-RED and Node.js versions this release is tested on, and so claims in package.json
// (node-red.version, engines.node). Node.js binaries come from the npm registry
// (scripts/ensure-node.js); a Node-RED other than the devDependency is installed under .cache/.
export interface MatrixEntry {
  nodeRed: string;
  nodeMajor: number;
  /** The whole suite runs here; the other entries run the install test. */
  fullSuite: boolean;
}

export const MATRIX: readonly MatrixEntry[] = [
  { nodeRed: '5.0.7', nodeMajor: 24, fullSuite: true },
  { nodeRed: '5.0.7', nodeMajor: 22, fullSuite: false },
  { nodeRed: '4.1.15', nodeMajor: 20, fullSuite: false },
  { nodeRed: '4.0.9', nodeMajor: 20, fullSuite: false },
];
