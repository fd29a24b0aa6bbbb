import type { Logger } from '../../log/logger.ts';
import type { RestoredMonitorState } from '../../machines/regulatory/monitor/monitorTypes.ts';
import type { RedisPositionSource } from '../sources/redisPositionSource.ts';
import type { CloseDeadLetters } from './closeDeadLetters.ts';
import { errorMessage } from '../../shared/errorMessage.ts';

/** Dead letters looked at when a monitor starts: failed closes older than these are listed by `tradewire dlq`, not /ready. */
const DEAD_LETTERS_READ = 200;

/**
 * What a monitor incarnation picks up from Redis (its child spec's start function runs this on
 * every start and restart): the last day closed, and the closes given up whose day has not
 * closed since (dead letters not replayed, and any still waiting to be written). The book itself
 * is not stored: every incarnation seeds it from the broker, which is the truth for positions.
 */
export async function loadMonitorState(sources: { positions: RedisPositionSource; deadLetters: CloseDeadLetters }): Promise<RestoredMonitorState> {
  const days = await sources.positions.days();
  const closed = new Set(days);
  const last = days.at(-1);
  const lastClose = last ? { day: last, positions: (await sources.positions.closingPositions(last)).length, jobId: null } : null;

  const failedCloses: RestoredMonitorState['failedCloses'] = [];
  const listed = new Set<string | null>();
  const unresolved = (day: string | null) => !listed.has(day) && (day === null || !closed.has(day));
  for (const pending of sources.deadLetters.pending()) {
    if (!unresolved(pending.day)) continue;
    listed.add(pending.day);
    failedCloses.push({ day: pending.day, reason: pending.reason, attempts: pending.attempts });
  }
  // Newest first, so a day that failed more than once is listed with its latest failure.
  for (const letter of await sources.deadLetters.dlq.list(0, DEAD_LETTERS_READ)) {
    const day = (letter.payload as { day?: unknown } | null)?.day;
    if (letter.replay || (typeof day !== 'string' && day !== null) || !unresolved(day ?? null)) continue;
    listed.add(day ?? null);
    failedCloses.push({ day: day ?? null, reason: letter.reason, attempts: letter.attemptsMade });
  }
  return { lastClose, failedCloses: failedCloses.reverse() };
}

/**
 * The start function's load, bounded: a monitor that cannot read its history (Redis down) still
 * starts and watches positions, saying what it could not restore, rather than failing its
 * supervisor over state that only reports on the past.
 */
export async function loadMonitorStateOrNothing(sources: Parameters<typeof loadMonitorState>[0], logger: Logger): Promise<RestoredMonitorState> {
  try {
    return await loadMonitorState(sources);
  } catch (error) {
    logger.warn('regulatory monitor could not load its last close and failed closes; starting without them', { error: errorMessage(error) });
    return { lastClose: null, failedCloses: [] };
  }
}
