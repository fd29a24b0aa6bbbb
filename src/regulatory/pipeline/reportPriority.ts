/**
 * BullMQ priority of a report job from its deadline: the earlier the deadline, the lower the
 * number, the sooner it runs. BullMQ priorities are integers 1..2^21-1 (0 would mean "no priority",
 * which BullMQ runs before every prioritized job).
 *
 * The deadline's minutes since the Unix epoch are counted from PRIORITY_EPOCH in buckets of
 * PRIORITY_BUCKET_MINUTES, plus one. Monotonic: a later deadline never gets a smaller number;
 * deadlines in the same 5-minute bucket run first come, first served. 2^21 buckets of 5 minutes
 * span about 19.9 years, so the mapping is exact for deadlines from 2025-01-01 to late 2044;
 * earlier deadlines (overdue) get 1, later ones the largest priority. Jobs keep the number they
 * were added with, so changing these constants only affects new jobs.
 */
export const PRIORITY_EPOCH_MS = Date.UTC(2025, 0, 1);
export const PRIORITY_BUCKET_MINUTES = 5;
export const HIGHEST_PRIORITY = 1;
export const LOWEST_PRIORITY = 2 ** 21 - 1;

export function deadlinePriority(deadline: string | number | Date): number {
  const ms = typeof deadline === 'number' ? deadline : typeof deadline === 'string' ? Date.parse(deadline) : deadline.getTime();
  // An unreadable deadline never jumps the queue.
  if (!Number.isFinite(ms)) return LOWEST_PRIORITY;
  const minutesSinceEpoch = Math.floor(ms / 60_000);
  const bucket = Math.floor((minutesSinceEpoch - PRIORITY_EPOCH_MS / 60_000) / PRIORITY_BUCKET_MINUTES);
  return Math.min(LOWEST_PRIORITY, Math.max(HIGHEST_PRIORITY, bucket + 1));
}
