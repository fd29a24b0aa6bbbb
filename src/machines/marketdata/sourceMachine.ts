import { assign, sendTo, setup, type AnyActorLogic, type SnapshotFrom } from 'xstate';
import type { SourceHealth } from '../../marketdata/tickBatch.ts';
import type {
  FeedCommand,
  ReportHealth,
  SourceMachineContext,
  SourceEvent,
  SourceLifecycle,
  SourceMachineInput,
} from './sourceTypes.ts';
import { SHUTDOWN_EVENT } from '../../supervision/shutdownProtocol.ts';

/** Thrown on entering `failed`, so the supervisor sees an error exit and restarts the source. */
export class SourceFailedError extends Error {
  override readonly name = 'SourceFailedError';

  constructor(
    readonly sourceId: string,
    readonly reason: string,
  ) {
    super(`market-data source '${sourceId}' failed: ${reason}`);
  }
}

type SampleEvent = Extract<SourceEvent, { type: 'feed.sample' }>;

/**
 * A state that asks the feed for activity every `checkInterval`: the feed counts ticks itself and
 * answers with a number, so tick rates never reach the machine. The parent decides on the answer.
 */
const sampledEvery = {
  initial: 'waiting',
  states: {
    waiting: { after: { checkInterval: 'sampling' } },
    sampling: { entry: 'askForSample' },
  },
} as const;

/**
 * The lifecycle of one market-data source: idle -> subscribing -> streaming <-> stale -> failed.
 * Pure: the feed (connection, subscription, ticks) is the injected `feed` actor, the health report
 * to the engine the injected `reportHealth`, and time only `after` delays (so it runs on a
 * SimulatedClock). `failed` throws, so the supervisor restarts the source with its backoff.
 */
export function createSourceMachine(io: { feed: AnyActorLogic; reportHealth: ReportHealth }) {
  return setup({
    types: {
      context: {} as SourceMachineContext,
      events: {} as SourceEvent,
      input: {} as SourceMachineInput,
    },
    actors: { feed: io.feed },
    delays: {
      checkInterval: ({ context }) => context.checkIntervalMs,
      breakerRetry: ({ context }) => context.breakerRetryMs,
    },
    guards: {
      sawTicks: ({ event }) => (event as SampleEvent).ticks > 0,
      silentTooLong: ({ context }) => context.silentMs + context.checkIntervalMs >= context.maxAgeMs,
      staleTooLong: ({ context }) => context.staleMs + context.checkIntervalMs >= context.failAfterStaleMs,
    },
    actions: {
      reportHealth: ({ context }, params: { health: SourceHealth }) => io.reportHealth(context.sourceId, params.health),
      askToSubscribe: sendTo('feed', { type: 'subscribe' } satisfies FeedCommand),
      askForSample: sendTo('feed', { type: 'sample' } satisfies FeedCommand),
      askToStop: sendTo('feed', { type: 'stop' } satisfies FeedCommand),
      recordTicks: assign(({ context, event }) => {
        const sample = event as SampleEvent;
        return { ticks: context.ticks + sample.ticks, rejectedTicks: sample.rejected, lastTickAt: sample.lastTickAt, silentMs: 0 };
      }),
      recordSilence: assign(({ context, event }) => ({
        rejectedTicks: (event as SampleEvent).rejected,
        silentMs: context.silentMs + context.checkIntervalMs,
      })),
      recordStaleSilence: assign(({ context, event }) => ({
        rejectedTicks: (event as SampleEvent).rejected,
        silentMs: context.silentMs + context.checkIntervalMs,
        staleMs: context.staleMs + context.checkIntervalMs,
      })),
      noteSilence: assign(({ context }) => ({ lastError: `no data for ${context.silentMs + context.checkIntervalMs} ms (maxAgeMs ${context.maxAgeMs})` })),
      noteStaleTooLong: assign(({ context }) => ({ lastError: `stale for ${context.staleMs + context.checkIntervalMs} ms (failAfterStaleMs ${context.failAfterStaleMs})` })),
      noteInterruption: assign(({ context, event }) => ({
        lastError: event.type === 'feed.interrupted' ? event.reason : context.lastError,
        interruptions: context.interruptions + 1,
      })),
      noteBreakerRejection: assign(({ context, event }) => ({
        lastError: event.type === 'feed.rejected' ? event.reason : context.lastError,
        breakerRejections: context.breakerRejections + 1,
      })),
      noteFailure: assign(({ context, event }) => ({ lastError: event.type === 'feed.failed' ? event.error : context.lastError })),
      countNote: assign(({ context, event }) => {
        if (event.type !== 'feed.note') return {};
        return { notes: { ...context.notes, [event.what]: (context.notes[event.what] ?? 0) + 1 } };
      }),
      startStaleSpell: assign({ staleMs: 0 }),
      fail: ({ context }) => {
        throw new SourceFailedError(context.sourceId, context.lastError ?? 'unknown reason');
      },
    },
  }).createMachine({
    id: 'market-data-source',
    context: ({ input }) => ({
      ...input,
      ticks: 0,
      rejectedTicks: 0,
      lastTickAt: null,
      silentMs: 0,
      staleMs: 0,
      subscriptions: [],
      lastError: null,
      interruptions: 0,
      breakerRejections: 0,
      notes: {},
    }),
    invoke: { id: 'feed', src: 'feed' },
    initial: 'idle',
    on: {
      'feed.failed': { target: '.failed', actions: 'noteFailure' },
      'feed.note': { actions: 'countNote' },
      'feed.ended': '.finished',
      [SHUTDOWN_EVENT]: '.stopping',
    },
    states: {
      idle: { always: 'subscribing' },
      subscribing: {
        entry: { type: 'reportHealth', params: { health: 'subscribing' } },
        initial: 'requesting',
        states: {
          requesting: {
            entry: 'askToSubscribe',
            on: {
              'feed.subscribed': { target: 'awaitingData', actions: assign({ subscriptions: ({ event }) => event.subscriptions }) },
              'feed.rejected': { target: 'blockedByBreaker', actions: 'noteBreakerRejection' },
            },
          },
          // The breaker shields the peer; waiting here is not a failure, so no restart is spent.
          blockedByBreaker: { after: { breakerRetry: 'requesting' } },
          awaitingData: {
            ...sampledEvery,
            on: {
              'feed.sample': [
                { guard: 'sawTicks', target: '#market-data-source.streaming', actions: 'recordTicks' },
                { guard: 'silentTooLong', target: '#market-data-source.stale', actions: ['recordSilence', 'noteSilence'] },
                { target: '.waiting', actions: 'recordSilence' },
              ],
              'feed.interrupted': { target: '#market-data-source.stale', actions: 'noteInterruption' },
            },
          },
        },
      },
      streaming: {
        entry: { type: 'reportHealth', params: { health: 'streaming' } },
        ...sampledEvery,
        on: {
          'feed.sample': [
            { guard: 'sawTicks', target: '.waiting', actions: 'recordTicks' },
            { guard: 'silentTooLong', target: 'stale', actions: ['recordSilence', 'noteSilence'] },
            { target: '.waiting', actions: 'recordSilence' },
          ],
          'feed.interrupted': { target: 'stale', actions: 'noteInterruption' },
        },
      },
      stale: {
        entry: ['startStaleSpell', { type: 'reportHealth', params: { health: 'stale' } }],
        ...sampledEvery,
        on: {
          'feed.sample': [
            { guard: 'sawTicks', target: 'streaming', actions: 'recordTicks' },
            { guard: 'staleTooLong', target: 'failed', actions: ['recordStaleSilence', 'noteStaleTooLong'] },
            { target: '.waiting', actions: 'recordStaleSilence' },
          ],
          'feed.interrupted': { actions: 'noteInterruption' },
        },
      },
      failed: {
        entry: [{ type: 'reportHealth', params: { health: 'failed' } }, 'fail'],
      },
      /** A replay that does not loop reached its end: a normal exit, not restarted. */
      finished: {
        type: 'final',
        entry: { type: 'reportHealth', params: { health: 'stopped' } },
      },
      stopping: {
        entry: 'askToStop',
        on: { 'feed.stopped': 'stopped', 'feed.failed': 'stopped', 'feed.ended': 'stopped' },
      },
      stopped: {
        type: 'final',
        entry: { type: 'reportHealth', params: { health: 'stopped' } },
      },
    },
  });
}

export type SourceMachine = ReturnType<typeof createSourceMachine>;
export type SourceSnapshot = SnapshotFrom<SourceMachine>;

/** The lifecycle state (top-level state name) of a source snapshot. */
export function lifecycleOf(snapshot: { value: unknown }): SourceLifecycle {
  const value = snapshot.value;
  return (typeof value === 'string' ? value : Object.keys(value as object)[0]) as SourceLifecycle;
}
