/**
 * OTP's add_restart: remember this restart, forget those older than the period,
 * and say whether the supervisor has now restarted too often.
 */
export function recordRestart(
  history: readonly number[],
  now: number,
  intensity: number,
  periodMs: number,
): { history: number[]; exceeded: boolean } {
  const kept = history.filter((at) => now - at <= periodMs);
  kept.push(now);
  return { history: kept, exceeded: kept.length > intensity };
}
