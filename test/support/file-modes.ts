// Permission tests need file modes to apply, which root ignores. Switching to another uid would
// also need the whole checkout (node, dist/) readable by that uid, which a clone in a private
// folder is not; so root instead runs the command without the capabilities that override modes
// (setpriv, from util-linux, which every Debian system has).

/** `command args` as a process for which file modes apply, even when the tests run as root. */
export function withFileModesEnforced(command: string, args: string[]): [string, string[]] {
  if (process.getuid?.() !== 0) return [command, args];
  return ['setpriv', ['--bounding-set', '-dac_override,-dac_read_search', command, ...args]];
}
