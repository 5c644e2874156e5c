// The package.json rules of the Node-RED Flow Library scorecard (node-red-dev validate), re-implemented
// so they run offline. Rule ids follow node-red-dev-cli docs/*.md (P = package, D = dependencies).
import * as semver from 'semver';
import { MATRIX } from './matrix';

export interface PackageManifest {
  name?: string;
  license?: string;
  repository?: string | { url?: string };
  bugs?: string | { url?: string; email?: string };
  keywords?: string[];
  engines?: { node?: string };
  'node-red'?: { version?: string; nodes?: Record<string, string> };
  bin?: Record<string, string>;
  dependencies?: Record<string, string>;
  files?: string[];
}

/** Node-RED releases a published package must load on: those the test matrix names by number. */
export const NODE_RED_RELEASES = [...new Set(MATRIX.map((entry) => entry.nodeRed).filter((release) => semver.valid(release) !== null))];
/**
 * A release far in the future. A range that refuses it has an upper bound, and the palette manager
 * (npm --engine-strict) would refuse the package on every later release before anyone tested it.
 */
const FAR_FUTURE = '999.0.0';
/** The lowest Node.js that Node-RED 5.x supports (its package.json engines, ">=22.9"). */
export const NODE_OF_LATEST_NODE_RED = '22.9.0';
export const MAX_RUNTIME_DEPENDENCIES = 6;

export interface ManifestFacts {
  /** A LICENSE file counts as a licence when package.json names none. */
  licenseFileExists: boolean;
}

export function manifestProblems(pkg: PackageManifest, facts: ManifestFacts): string[] {
  const problems: string[] = [];
  if (!pkg.license && !facts.licenseFileExists) problems.push('P01: no license field and no LICENSE file');
  if (!urlOf(pkg.repository) && !urlOf(pkg.bugs)) problems.push('P03: neither repository nor bugs gives a url');
  if (!pkg.name || !/^@[a-z0-9][\w.-]*\/[a-z0-9][\w.-]*$/.test(pkg.name)) {
    problems.push(`P04: name "${pkg.name ?? ''}" is not scoped (@scope/name), as new packages must be`);
  }
  if (!pkg.keywords?.includes('node-red')) problems.push('P05: keywords lack "node-red"');
  problems.push(...nodeRedSectionProblems(pkg));
  const nodeRange = pkg.engines?.node;
  if (!nodeRange) problems.push('P07: engines.node is not declared');
  else if (!satisfies(NODE_OF_LATEST_NODE_RED, nodeRange)) {
    problems.push(`P07: engines.node "${nodeRange}" excludes Node.js ${NODE_OF_LATEST_NODE_RED}`);
  }
  if (nodeRange && hasUpperBound(nodeRange)) problems.push(`engines.node "${nodeRange}" has an upper bound: claim a minimum only`);
  const dependencyCount = Object.keys(pkg.dependencies ?? {}).length;
  if (dependencyCount > MAX_RUNTIME_DEPENDENCIES) {
    problems.push(`D01: ${dependencyCount} runtime dependencies, more than ${MAX_RUNTIME_DEPENDENCIES}`);
  }
  return problems;
}

function nodeRedSectionProblems(pkg: PackageManifest): string[] {
  const section = pkg['node-red'];
  if (!section) return ['node-red section is missing'];
  const problems: string[] = [];
  if (!section.nodes || Object.keys(section.nodes).length === 0) problems.push('node-red.nodes lists no node file');
  if (!section.version) problems.push('P06: node-red.version is not declared');
  else {
    for (const release of NODE_RED_RELEASES) {
      if (!satisfies(release, section.version)) problems.push(`P06: node-red.version "${section.version}" excludes Node-RED ${release}`);
    }
    if (hasUpperBound(section.version)) problems.push(`node-red.version "${section.version}" has an upper bound: claim a minimum only`);
  }
  const shipped = pkg.files;
  if (shipped) {
    for (const file of [...Object.values(section.nodes ?? {}), 'examples/']) {
      if (!shipped.some((entry) => covers(entry, file))) problems.push(`files does not ship ${file}`);
    }
  }
  return problems;
}

function urlOf(field: PackageManifest['repository'] | PackageManifest['bugs']): string | undefined {
  if (typeof field === 'string') return field || undefined;
  if (!field) return undefined;
  return field.url || ('email' in field ? field.email : undefined) || undefined;
}

function hasUpperBound(range: string): boolean {
  return semver.validRange(range) !== null && !semver.satisfies(FAR_FUTURE, range);
}

function satisfies(version: string, range: string): boolean {
  return semver.validRange(range) !== null && semver.satisfies(version, range);
}

function covers(entry: string, file: string): boolean {
  const folder = entry.replace(/\/+$/, '');
  return file === folder || file.startsWith(`${folder}/`);
}
