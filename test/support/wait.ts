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

/** Like waitUntil, for a check that has to ask something (an HTTP endpoint, a file), polled every 100 ms. */
export async function waitUntilAsync(check: () => Promise<boolean>, timeoutMs = 5000, what = 'the condition'): Promise<void> {
  const started = Date.now();
  while (!(await check())) {
    if (Date.now() - started > timeoutMs) throw new Error(`timed out after ${timeoutMs} ms waiting for ${what}`);
    await new Promise((resolve) => setTimeout(resolve, 100));
  }
}
