/** Polls `check` every 10 ms until it holds, or fails after `timeoutMs` naming what it waited for. */
export function waitUntil(check: () => boolean, timeoutMs = 5000, what = 'the condition'): Promise<void> {
  return new Promise((resolve, reject) => {
    const started = Date.now();
    const poll = () => {
      if (check()) return resolve();
      if (Date.now() - started > timeoutMs) return reject(new Error(`timed out after ${timeoutMs} ms waiting for ${what}`));
      setTimeout(poll, 10);
    };
    poll();
  });
}

/**
 * For checks that something does NOT happen: resolves once `measure` has kept one value for `quietMs`
 * (bytes stopped arriving, a count stopped growing), or fails after `timeoutMs` if it keeps changing.
 */
export function waitUntilSteady(measure: () => unknown, quietMs: number, timeoutMs = 5000, what = 'the value'): Promise<void> {
  let last = measure();
  let since = Date.now();
  return waitUntil(
    () => {
      const now = measure();
      if (now !== last) {
        last = now;
        since = Date.now();
      }
      return Date.now() - since >= quietMs;
    },
    timeoutMs,
    `${what} to stay unchanged for ${quietMs} ms`,
  );
}

/**
 * Polls `probe` until it returns a value (not undefined), for things that happen in another process.
 * Errors thrown by the probe count as "not yet"; the last one is reported if time runs out.
 */
export async function eventually<T>(what: string, timeoutMs: number, probe: () => Promise<T | undefined>): Promise<T> {
  const deadline = Date.now() + timeoutMs;
  let last: unknown;
  for (;;) {
    try {
      const value = await probe();
      if (value !== undefined) return value;
    } catch (error) {
      last = error;
    }
    if (Date.now() > deadline)
      throw new Error(`${what} did not happen within ${timeoutMs} ms${last instanceof Error ? `: ${last.message}` : ''}`);
    await new Promise((resolve) => setTimeout(resolve, 200));
  }
}
