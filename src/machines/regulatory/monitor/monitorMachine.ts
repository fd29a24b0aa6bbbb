import { assign, setup } from 'xstate';
import { LevelWatch } from '../../../regulatory/monitoring/levelWatch.ts';
import { DayCloseError, type AnnounceParams, type CloseDayOutput, type FailedClose, type MonitorContext, type MonitorDeps, type MonitorEvent, type MonitorInput, type PendingClose } from './monitorTypes.ts';
import { errorMessage } from '../../../shared/errorMessage.ts';

/** Failed closes kept for /ready and /actors; older ones are in the dead-letter queue. */
const FAILED_CLOSES_KEPT = 20;

function closeEvent(event: MonitorEvent): PendingClose | null {
  if (event.type === 'CLOSE_DAY') return { day: event.day ?? null, positions: null, attempts: 0 };
  if (event.type === 'CLOSE_REPLAY') return { day: event.day, positions: event.positions, attempts: 0 };
  return null;
}

/** The day a failed close was for: a "today" close learns its day when it runs. */
function failedDay(closing: MonitorContext['closing'], error: unknown): string | null {
  return error instanceof DayCloseError && error.day !== null ? error.day : (closing?.day ?? null);
}

/**
 * The reportable-level monitor: seeding → running (watching ⇄ closingDay ⇄ closeWaiting).
 * - seeding asks the broker for positions and retries until it answers in full: a failed answer is
 *   never read as an empty book. Fills and closes that arrive meanwhile wait for the seed.
 * - running applies fills (once each by execId) and announces level crossings as they happen.
 * - closingDay hands the book as it stood at the close to closeDay (record + enqueue). A failed
 *   close goes to the back of the queue with the same positions. Closes not tried yet always go
 *   ahead of retries and run at once; retries wait closeRetryMs (closeWaiting), so a day that keeps
 *   failing never holds up another. Once it is refused or out of attempts it is dead-lettered
 *   and the monitor moves on.
 * - the close timer runs from the start, so a scheduled close is never missed while another
 *   close is being retried: it queues like any other.
 * The machine holds the book; every effect is an injected actor or action.
 */
export function createMonitorMachine(deps: MonitorDeps) {
  return setup({
    types: {
      context: {} as MonitorContext,
      events: {} as MonitorEvent,
      input: {} as MonitorInput,
    },
    actors: deps.actors,
    actions: {
      announce: (_, params: AnnounceParams) => {
        if (params.crossings.length > 0) deps.announce(params);
      },
      deadLetterClose: (_, failure: FailedClose) => deps.deadLetterClose?.(failure),
      applyFills: assign(({ context, event }) => {
        if (event.type !== 'FILL') return {};
        return { crossings: context.watch.apply(event.fills) };
      }),
      holdFills: assign({ pending: ({ context, event }) => (event.type === 'FILL' ? [...context.pending, ...event.fills] : context.pending) }),
      noteScheduled: assign({
        lastScheduledAtMs: ({ context, event }) => (event.type === 'CLOSE_DAY' && event.scheduledAtMs !== undefined ? Math.max(context.lastScheduledAtMs, event.scheduledAtMs) : context.lastScheduledAtMs),
      }),
      // Closes not tried yet go ahead of retries, so a failing day never holds up a later one.
      queueClose: assign({
        queuedCloses: ({ context, event }) => {
          const close = closeEvent(event);
          if (!close) return context.queuedCloses;
          const firstRetry = context.queuedCloses.findIndex((queued) => queued.attempts > 0);
          const at = firstRetry === -1 ? context.queuedCloses.length : firstRetry;
          return [...context.queuedCloses.slice(0, at), close, ...context.queuedCloses.slice(at)];
        },
      }),
      startClose: assign(({ context, event }) => {
        const close = closeEvent(event)!;
        return { closing: { day: close.day, positions: close.positions ?? context.watch.positions(), attempts: 0 } };
      }),
      startQueuedClose: assign(({ context }) => {
        const [next, ...rest] = context.queuedCloses;
        return { closing: { day: next!.day, positions: next!.positions ?? context.watch.positions(), attempts: next!.attempts }, queuedCloses: rest };
      }),
      requeueFailedClose: assign(({ context, event }) => {
        const error = (event as unknown as { error: unknown }).error;
        const closing = context.closing!;
        return {
          queuedCloses: [...context.queuedCloses, { day: failedDay(closing, error), positions: closing.positions, attempts: closing.attempts + 1 }],
          closing: null,
          lastError: `day close: ${errorMessage(error)}`,
        };
      }),
      recordFailedClose: assign(({ context, event }) => {
        const error = (event as unknown as { error: unknown }).error;
        const day = failedDay(context.closing, error);
        const failed = { day, reason: errorMessage(error), attempts: context.closing!.attempts + 1 };
        return {
          failedCloses: [...context.failedCloses.filter((f) => f.day !== day), failed].slice(-FAILED_CLOSES_KEPT),
          closing: null,
          lastError: `day close of ${day ?? 'today'} dead-lettered: ${failed.reason}`,
        };
      }),
      recordClose: assign(({ context, event }) => {
        const output = (event as unknown as { output: CloseDayOutput }).output;
        return { lastClose: output, closing: null, lastError: null, failedCloses: context.failedCloses.filter((f) => f.day !== output.day) };
      }),
    },
    guards: {
      closesQueued: ({ context }) => context.queuedCloses.length > 0,
      freshCloseNext: ({ context }) => context.queuedCloses[0]?.attempts === 0,
      // A timer close at or before one that already fired (a timer re-armed within the same instant) is a repeat.
      repeatedTimerClose: ({ context, event }) => event.type === 'CLOSE_DAY' && event.scheduledAtMs !== undefined && event.scheduledAtMs <= context.lastScheduledAtMs,
      closeWorthRetrying: ({ context, event }) => {
        const error = (event as unknown as { error: unknown }).error;
        if (error instanceof DayCloseError && error.refused) return false;
        return context.closing!.attempts + 1 < context.closeAttempts;
      },
    },
    delays: {
      seedRetry: ({ context }) => context.seedRetryMs,
      closeRetry: ({ context }) => context.closeRetryMs,
    },
  }).createMachine({
    id: 'regulatoryMonitor',
    context: ({ input }) => ({
      watch: new LevelWatch(input.instruments),
      seedRetryMs: input.seedRetryMs,
      closeRetryMs: input.closeRetryMs,
      closeAttempts: input.closeAttempts,
      pending: [],
      queuedCloses: [],
      closing: null,
      lastClose: input.restored?.lastClose ?? null,
      failedCloses: input.restored?.failedCloses ?? [],
      lastScheduledAtMs: 0,
      crossings: [],
      lastError: null,
      seedAttempts: 0,
    }),
    invoke: { src: 'closeTimer', input: ({ context }) => ({ notBeforeMs: context.lastScheduledAtMs }) },
    initial: 'seeding',
    // Everywhere but `watching` (which starts it at once), a close waits its turn.
    on: {
      CLOSE_DAY: [{ guard: 'repeatedTimerClose' }, { actions: ['noteScheduled', 'queueClose'] }],
      CLOSE_REPLAY: { actions: 'queueClose' },
    },
    states: {
      seeding: {
        entry: assign({ seedAttempts: ({ context }) => context.seedAttempts + 1 }),
        on: { FILL: { actions: 'holdFills' } },
        invoke: {
          src: 'seed',
          onDone: {
            target: 'running',
            actions: [
              assign(({ context, event }) => ({ crossings: context.watch.seed(event.output.positions, event.output.includedExecIds), lastError: null })),
              { type: 'announce', params: ({ context }) => ({ crossings: context.crossings, atSeed: true }) },
              // Fills that came in while the broker was asked: the ones already in its positions are skipped by execId.
              assign(({ context }) => ({ crossings: context.watch.apply(context.pending), pending: [] })),
              { type: 'announce', params: ({ context }) => ({ crossings: context.crossings, atSeed: false }) },
            ],
          },
          onError: { target: 'seedWaiting', actions: assign({ lastError: ({ event }) => `broker positions: ${errorMessage(event.error)}` }) },
        },
      },
      seedWaiting: {
        on: { FILL: { actions: 'holdFills' } },
        after: { seedRetry: 'seeding' },
      },
      running: {
        initial: 'watching',
        on: {
          FILL: { actions: ['applyFills', { type: 'announce', params: ({ context }) => ({ crossings: context.crossings, atSeed: false }) }] },
        },
        states: {
          watching: {
            always: [
              { guard: 'freshCloseNext', target: 'closingDay', actions: 'startQueuedClose' },
              { guard: 'closesQueued', target: 'closeWaiting' },
            ],
            on: {
              CLOSE_DAY: [{ guard: 'repeatedTimerClose' }, { target: 'closingDay', actions: ['noteScheduled', 'startClose'] }],
              CLOSE_REPLAY: { target: 'closingDay', actions: 'startClose' },
            },
          },
          closingDay: {
            invoke: {
              src: 'closeDay',
              input: ({ context }) => ({ day: context.closing!.day, positions: context.closing!.positions }),
              onDone: { target: 'watching', actions: 'recordClose' },
              onError: [
                { guard: 'closeWorthRetrying', target: 'watching', actions: 'requeueFailedClose' },
                {
                  target: 'watching',
                  actions: [
                    {
                      type: 'deadLetterClose',
                      params: ({ context, event }) => ({
                        day: failedDay(context.closing, event.error),
                        positions: context.closing!.positions,
                        reason: errorMessage(event.error),
                        attempts: context.closing!.attempts + 1,
                        refused: event.error instanceof DayCloseError && event.error.refused,
                      }),
                    },
                    'recordFailedClose',
                  ],
                },
              ],
            },
          },
          // Only retries are waiting: a new close goes ahead of them at once.
          closeWaiting: {
            on: {
              CLOSE_DAY: [{ guard: 'repeatedTimerClose' }, { target: 'watching', actions: ['noteScheduled', 'queueClose'] }],
              CLOSE_REPLAY: { target: 'watching', actions: 'queueClose' },
            },
            after: { closeRetry: { target: 'closingDay', actions: 'startQueuedClose' } },
          },
        },
      },
    },
  });
}

export type MonitorMachine = ReturnType<typeof createMonitorMachine>;
