// The parts of semver (7) the package checks use; the package ships no types.
declare module 'semver' {
  interface SemVer {
    version: string;
  }
  export function valid(version: string): string | null;
  export function validRange(range: string): string | null;
  export function satisfies(version: string, range: string): boolean;
  export function subset(range: string, superset: string): boolean;
  export function major(version: string | SemVer): number;
  export function minVersion(range: string): SemVer | null;
}
