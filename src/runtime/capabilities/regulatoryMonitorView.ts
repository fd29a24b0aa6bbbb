import type { MonitorContext } from '../../machines/regulatory/monitor/monitorTypes.ts';
import { CLOSE_DEAD_LETTER_QUEUE, type CloseDeadLetters } from '../../regulatory/monitoring/closeDeadLetters.ts';

/** For /actors: who is reportable now, and how the monitor is doing. */
export function monitorDetails(snapshot: { value: unknown; context: MonitorContext }): Record<string, unknown> {
  const { context } = snapshot;
  return {
    state: snapshot.value,
    reportable: context.watch.reportable(),
    positions: context.watch.positions().length,
    unmappedSymbols: context.watch.unmapped,
    lastClose: context.lastClose,
    lastError: context.lastError,
    waitingFills: context.pending.length,
    queuedCloses: context.queuedCloses.map((close) => ({ day: close.day, attempts: close.attempts })),
    failedCloses: context.failedCloses,
  };
}

/** For /ready: closes given up since the monitor started, until a later close of the same day succeeds. */
export function failedCloseReasons(context: MonitorContext | undefined, deadLetters: CloseDeadLetters): string[] {
  const unwritten = deadLetters.pending().filter((close) => close.lastError !== null);
  const reasons = unwritten.map(
    (close) => `regulatory day close of ${close.day ?? 'today'} failed (${close.reason}) and is not in ${CLOSE_DEAD_LETTER_QUEUE} yet: ${close.lastError}`,
  );
  for (const close of context?.failedCloses ?? []) {
    if (unwritten.some((u) => u.day === close.day)) continue;
    reasons.push(
      `regulatory day close of ${close.day ?? 'today'} failed after ${close.attempts} attempt(s) (${close.reason}); dead-lettered to ${CLOSE_DEAD_LETTER_QUEUE}: replay it with tradewire dlq replay, or inject CLOSE_DAY for the day once the cause is fixed`,
    );
  }
  return reasons;
}
