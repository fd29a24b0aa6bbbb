import { assign, setup } from 'xstate';
import { LevelWatch } from '../../regulatory/monitoring/levelWatch';
import type { AnnounceParams, MonitorContext, MonitorDeps, MonitorEvent, MonitorInput } from './monitorTypes';

function message(error: unknown): string {
  return error instanceof Error ? error.message : String(error);
}

/**
 * The reportable-level monitor: seeding → running (watching ⇄ closingDay).
 * - seeding asks the broker for positions and retries until it answers in full: a failed answer is
 *   never read as an empty book. Fills and closes that arrive meanwhile wait for the seed.
 * - running applies fills (once each by execId) and announces level crossings as they happen.
 * - closingDay hands the book as it stood at the close to closeDay (record + enqueue), retried
 *   with the same positions until it succeeds; fills keep being applied during it.
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
      applyFills: assign(({ context, event }) => {
        if (event.type !== 'FILL') return {};
        return { crossings: context.watch.apply(event.fills) };
      }),
      holdFills: assign({ pending: ({ context, event }) => (event.type === 'FILL' ? [...context.pending, ...event.fills] : context.pending) }),
      queueClose: assign({ queuedCloses: ({ context, event }) => (event.type === 'CLOSE_DAY' ? [...context.queuedCloses, event.day ?? null] : context.queuedCloses) }),
      startClose: assign(({ context, event }) => ({
        closing: { day: event.type === 'CLOSE_DAY' ? (event.day ?? null) : null, positions: context.watch.positions() },
        lastScheduledAtMs: event.type === 'CLOSE_DAY' && event.scheduledAtMs !== undefined ? Math.max(context.lastScheduledAtMs, event.scheduledAtMs) : context.lastScheduledAtMs,
      })),
      startQueuedClose: assign(({ context }) => ({
        closing: { day: context.queuedCloses[0] ?? null, positions: context.watch.positions() },
        queuedCloses: context.queuedCloses.slice(1),
      })),
    },
    guards: {
      closesQueued: ({ context }) => context.queuedCloses.length > 0,
      // A timer close at or before one that already fired (a timer re-armed within the same instant) is a repeat.
      repeatedTimerClose: ({ context, event }) => event.type === 'CLOSE_DAY' && event.scheduledAtMs !== undefined && event.scheduledAtMs <= context.lastScheduledAtMs,
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
      pending: [],
      queuedCloses: [],
      closing: null,
      lastClose: null,
      lastScheduledAtMs: 0,
      crossings: [],
      lastError: null,
      seedAttempts: 0,
    }),
    initial: 'seeding',
    states: {
      seeding: {
        entry: assign({ seedAttempts: ({ context }) => context.seedAttempts + 1 }),
        on: { FILL: { actions: 'holdFills' }, CLOSE_DAY: { actions: 'queueClose' } },
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
          onError: { target: 'seedWaiting', actions: assign({ lastError: ({ event }) => `broker positions: ${message(event.error)}` }) },
        },
      },
      seedWaiting: {
        on: { FILL: { actions: 'holdFills' }, CLOSE_DAY: { actions: 'queueClose' } },
        after: { seedRetry: 'seeding' },
      },
      running: {
        initial: 'watching',
        on: {
          FILL: { actions: ['applyFills', { type: 'announce', params: ({ context }) => ({ crossings: context.crossings, atSeed: false }) }] },
        },
        states: {
          watching: {
            always: { guard: 'closesQueued', target: 'closingDay', actions: 'startQueuedClose' },
            invoke: { src: 'closeTimer', input: ({ context }) => ({ notBeforeMs: context.lastScheduledAtMs }) },
            on: {
              CLOSE_DAY: [{ guard: 'repeatedTimerClose' }, { target: 'closingDay', actions: 'startClose' }],
            },
          },
          closingDay: {
            on: { CLOSE_DAY: [{ guard: 'repeatedTimerClose' }, { actions: 'queueClose' }] },
            invoke: {
              src: 'closeDay',
              input: ({ context }) => context.closing!,
              onDone: { target: 'watching', actions: assign({ lastClose: ({ event }) => event.output, closing: null, lastError: null }) },
              onError: { target: 'closeWaiting', actions: assign({ lastError: ({ event }) => `day close: ${message(event.error)}` }) },
            },
          },
          closeWaiting: {
            on: { CLOSE_DAY: [{ guard: 'repeatedTimerClose' }, { actions: 'queueClose' }] },
            after: { closeRetry: 'closingDay' },
          },
        },
      },
    },
  });
}

export type MonitorMachine = ReturnType<typeof createMonitorMachine>;
