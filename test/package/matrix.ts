// The Node-RED and Node.js versions this release is tested on. package.json claims their minimums
// (node-red.version, engines.node) and no maximum, so the newest Node-RED is always among those tested:
// a release that breaks the package fails the install test instead of a user's palette install.
// Node.js binaries come from the npm registry (scripts/ensure-node.js); a Node-RED other than the
// devDependency is installed under .cache/.

/** In place of a version number: the release the npm registry serves as `latest` when the test runs. */
export const NEWEST_NODE_RED = 'latest';

export interface MatrixEntry {
  /** A release number, or NEWEST_NODE_RED. */
  nodeRed: string;
  nodeMajor: number;
  /** The whole suite runs here; the other entries run the install test. */
  fullSuite: boolean;
}

export const MATRIX: readonly MatrixEntry[] = [
  { nodeRed: NEWEST_NODE_RED, nodeMajor: 24, fullSuite: true },
  { nodeRed: '5.0.7', nodeMajor: 22, fullSuite: false },
  { nodeRed: '4.1.15', nodeMajor: 20, fullSuite: false },
  { nodeRed: '4.0.9', nodeMajor: 20, fullSuite: false },
];
