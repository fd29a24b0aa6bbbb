export const sleep = (ms: number) => new Promise<void>((resolve) => setTimeout(resolve, ms));

/** Polls `condition` until it holds (true) or `timeoutMs` passes (false). */
export async function until(condition: () => boolean, timeoutMs: number, pollMs = 50): Promise<boolean> {
  const deadline = Date.now() + timeoutMs;
  while (!condition()) {
    if (Date.now() >= deadline) return false;
    await sleep(pollMs);
  }
  return true;
}

/** Runs `task` every `ms`, never two at once, and not while `skip()` holds; its failures are its own business. */
export function every(ms: number, task: () => Promise<unknown>, skip: () => boolean = () => false): NodeJS.Timeout {
  let running = false;
  return setInterval(() => {
    if (running || skip()) return;
    running = true;
    task()
      .catch(() => undefined)
      .finally(() => (running = false));
  }, ms);
}
