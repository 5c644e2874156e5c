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
