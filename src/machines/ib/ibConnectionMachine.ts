import { assign, emit, enqueueActions, raise, sendTo, setup, type AnyActorLogic, type AnyActorRef } from 'xstate';
import { createCircuitBreakerMachine, isCallPermitted, type CircuitBreakerSnapshot } from '../circuitBreaker/circuitBreakerMachine.ts';
import { classifyMessage } from '../../ib/messageCodes/index.ts';
import { farmName } from './farmNames.ts';
import { nextRandom } from '../../shared/seededRandom.ts';
import type {
  IbClientCommand,
  IbConnectionContext,
  IbConnectionCounters,
  IbConnectionEmitted,
  IbConnectionEvent,
  IbConnectionInput,
} from './ibConnectionTypes.ts';
import { SHUTDOWN_EVENT } from '../../supervision/shutdownProtocol.ts';

type MessageEvent = Extract<IbConnectionEvent, { type: 'ib.message' }>;

const zeroCounters = (): IbConnectionCounters => ({
  connects: 0,
  disconnects: 0,
  failedAttempts: 0,
  halfOpenDetected: 0,
  failovers: 0,
  failbacks: 0,
  clientIdSwitches: 0,
  messages: 0,
  unknownCodes: 0,
  pacingViolations: 0,
  breakerRejections: 0,
  protocolErrors: 0,
});

/** Breaker defaults for connection attempts: judge the last 10 attempts once 4 are in, retry after 5 s. */
const CONNECTION_BREAKER = {
  slidingWindowSize: 10,
  minimumNumberOfCalls: 4,
  failureRateThreshold: 75,
  waitDurationInOpenStateMs: 5_000,
  permittedNumberOfCallsInHalfOpenState: 1,
  slowCallDurationThresholdMs: 10_000,
};

const categoryOf = (event: IbConnectionEvent) => {
  const message = event as MessageEvent;
  return classifyMessage(message.code, message.message).category;
};
const bump = (counters: IbConnectionCounters, key: keyof IbConnectionCounters): IbConnectionCounters => ({
  ...counters,
  [key]: counters[key] + 1,
});

/**
 * The IB connection's lifecycle. The socket lives in the injected `client` actor, and the primary
 * probe in `probe`; this machine only decides: which gateway and client id, when the link is
 * healthy, degraded or cut off from IB, when a silent socket is half-open, how long to back off,
 * and when to fail over and back.
 */
export function createIbConnectionMachine(actors: { client: AnyActorLogic; probe: AnyActorLogic }, breakerConfig = CONNECTION_BREAKER) {
  const breaker = createCircuitBreakerMachine({ name: 'ib-connect', ...breakerConfig });
  return setup({
    types: {
      context: {} as IbConnectionContext,
      events: {} as IbConnectionEvent,
      input: {} as IbConnectionInput,
      emitted: {} as IbConnectionEmitted,
    },
    actors: { ...actors, breaker },
    delays: {
      connectTimeout: ({ context }) => context.timing.connectTimeoutMs,
      handshakeTimeout: ({ context }) => context.timing.handshakeTimeoutMs,
      heartbeatInterval: ({ context }) => context.timing.heartbeatIntervalMs,
      heartbeatTimeout: ({ context }) => context.timing.heartbeatTimeoutMs,
      stableAfter: ({ context }) => context.timing.stableAfterMs,
      probeInterval: ({ context }) => context.timing.primaryProbeIntervalMs,
      backoffDelay: ({ context }) => context.nextDelayMs,
    },
    guards: {
      handshakeComplete: ({ context }) => context.nextValidId !== null && context.accounts.length > 0,
      clientIdInUse: ({ event }) => event.type === 'ib.message' && categoryOf(event) === 'client_id_in_use',
      clientError: ({ event }) => event.type === 'ib.message' && categoryOf(event) === 'client_error',
      connectivityLost: ({ event }) => event.type === 'ib.message' && categoryOf(event) === 'connectivity_lost',
      restored: ({ event }) => {
        if (event.type !== 'ib.message') return false;
        const category = categoryOf(event);
        return category === 'restored_data_lost' || category === 'restored_data_kept';
      },
      farmsBroken: ({ context }) => context.brokenFarms.length > 0,
      farmsOk: ({ context }) => context.brokenFarms.length === 0,
      shouldFailOver: ({ context }) => context.gateways.length > 1 && context.attempts >= context.timing.failoverAfterAttempts,
      onBackup: ({ context }) => context.gatewayIndex !== 0,
    },
    actions: {
      /** Every attempt asks the breaker first; a refused attempt backs off without touching the socket. */
      connect: enqueueActions(({ context, enqueue, self }) => {
        // The very first attempt runs while the machine initialises, when its snapshot cannot be
        // read; the breaker is closed then anyway, so it is permitted without asking.
        const firstAttempt = context.counters.failedAttempts === 0 && context.counters.connects === 0 && context.counters.breakerRejections === 0;
        const breakerRef = firstAttempt ? undefined : (self.getSnapshot().children as Record<string, AnyActorRef | undefined>).breaker;
        if (breakerRef && !isCallPermitted(breakerRef.getSnapshot() as CircuitBreakerSnapshot)) {
          enqueue.sendTo(breakerRef, { type: 'call.rejected' });
          enqueue.assign({ counters: bump(context.counters, 'breakerRejections'), lastError: 'circuit breaker open' });
          enqueue.raise({ type: 'BREAKER_OPEN' });
          return;
        }
        if (breakerRef) enqueue.sendTo(breakerRef, { type: 'call.started' });
        const gateway = context.gateways[context.gatewayIndex]!;
        enqueue.assign({ attemptStartedAt: Date.now() });
        enqueue.sendTo('client', {
          type: 'connect',
          host: gateway.host,
          port: gateway.port,
          clientId: context.clientIds[context.clientIdIndex]!,
        } satisfies IbClientCommand);
      }),
      reportAttemptSucceeded: sendTo('breaker', ({ context }) => ({
        type: 'call.succeeded',
        durationMs: Date.now() - (context.attemptStartedAt ?? Date.now()),
        at: Date.now(),
      })),
      reportAttemptFailed: sendTo('breaker', ({ context }) => ({
        type: 'call.failed',
        durationMs: Date.now() - (context.attemptStartedAt ?? Date.now()),
        at: Date.now(),
      })),
      disconnect: sendTo('client', { type: 'disconnect' } satisfies IbClientCommand),
      heartbeat: sendTo('client', { type: 'heartbeat' } satisfies IbClientCommand),
      resetHandshake: assign({ nextValidId: null, accounts: [], brokenFarms: [] }),
      noteFailure: assign(({ context, event }) => ({
        attempts: context.attempts + 1,
        counters: bump(context.counters, 'failedAttempts'),
        lastError: describeFailure(event),
      })),
      /** An attempt that never reached `connected` failed, as far as the breaker is concerned. */
      failAttempt: enqueueActions(({ enqueue }) => {
        enqueue('noteFailure' as never);
        enqueue('reportAttemptFailed' as never);
      }),
      planBackoff: assign(({ context }) => {
        const { minMs, maxMs, jitter } = context.backoff;
        const base = Math.min(maxMs, minMs * 2 ** Math.min(Math.max(context.attempts - 1, 0), 30));
        const random = nextRandom(context.rng);
        return { nextDelayMs: Math.max(0, Math.round(base + base * jitter * (random.value * 2 - 1))), rng: random.state };
      }),
      nextClientId: assign(({ context }) => ({
        clientIdIndex: (context.clientIdIndex + 1) % context.clientIds.length,
        counters: bump(context.counters, 'clientIdSwitches'),
        lastError: `client id ${context.clientIds[context.clientIdIndex]} in use`,
      })),
      failOver: assign(({ context }) => ({
        gatewayIndex: (context.gatewayIndex + 1) % context.gateways.length,
        attempts: 0,
        counters: bump(context.counters, 'failovers'),
      })),
      failBack: assign(({ context }) => ({ gatewayIndex: 0, attempts: 0, counters: bump(context.counters, 'failbacks') })),
      markConnected: assign(({ context }) => ({ connectedAt: Date.now(), counters: bump(context.counters, 'connects') })),
      markDisconnected: assign(({ context }) => ({ connectedAt: null, counters: bump(context.counters, 'disconnects') })),
      markStable: assign({ attempts: 0 }),
      countProtocolError: assign(({ context }) => ({ counters: bump(context.counters, 'protocolErrors') })),
      markHalfOpen: assign(({ context }) => ({
        counters: bump(context.counters, 'halfOpenDetected'),
        lastError: 'heartbeat unanswered: socket half-open',
      })),
      announceReady: emit(({ context }): IbConnectionEmitted => ({
        type: 'ib.ready',
        nextValidId: context.nextValidId!,
        accounts: context.accounts,
      })),
      holdOrders: sendTo('client', { type: 'holdOrders', hold: true } satisfies IbClientCommand),
      releaseOrders: sendTo('client', { type: 'holdOrders', hold: false } satisfies IbClientCommand),
      /** Everything about a message that is not a state change: counting, farms, pacing, routing. */
      observeMessage: enqueueActions(({ context, event, enqueue }) => {
        if (event.type !== 'ib.message') return;
        const classification = classifyMessage(event.code, event.message);
        let counters = bump(context.counters, 'messages');
        let brokenFarms = context.brokenFarms;
        switch (classification.category) {
          case 'data_farm_broken': {
            const farm = farmName(event.code, event.message);
            if (!brokenFarms.includes(farm)) brokenFarms = [...brokenFarms, farm];
            break;
          }
          case 'data_farm_ok':
            brokenFarms = brokenFarms.filter((farm) => farm !== farmName(event.code, event.message));
            break;
          case 'pacing_violation':
            counters = bump(counters, 'pacingViolations');
            enqueue.sendTo('client', { type: 'slowDown' } satisfies IbClientCommand);
            break;
          case 'restored_data_lost':
            enqueue.emit({ type: 'ib.resubscribe' });
            break;
          case 'unknown':
            counters = bump(counters, 'unknownCodes');
            enqueue.emit({ type: 'ib.unknownCode', code: event.code, message: event.message });
            break;
        }
        if (classification.routing === 'order' || classification.routing === 'request') {
          enqueue.emit({
            type: 'ib.routed',
            routing: classification.routing,
            category: classification.category,
            code: event.code,
            message: event.message,
            reqId: event.reqId,
          });
        }
        enqueue.assign({ counters, brokenFarms });
      }),
    },
  }).createMachine({
    id: 'ib-connection',
    context: ({ input }) => ({
      ...input,
      gatewayIndex: 0,
      clientIdIndex: 0,
      attempts: 0,
      attemptStartedAt: null,
      rng: input.seed ?? 1,
      nextDelayMs: 0,
      nextValidId: null,
      accounts: [],
      brokenFarms: [],
      lastError: null,
      connectedAt: null,
      counters: zeroCounters(),
    }),
    invoke: [
      { id: 'client', src: 'client' },
      { id: 'breaker', src: 'breaker' },
    ],
    initial: 'connecting',
    on: {
      [SHUTDOWN_EVENT]: '.stopped',
      'ib.message': { actions: 'observeMessage' },
    },
    states: {
      connecting: {
        entry: ['resetHandshake', 'connect'],
        after: { connectTimeout: { target: 'backoff', actions: 'failAttempt' } },
        on: {
          BREAKER_OPEN: 'backoff',
          'ib.connected': 'handshaking',
          'ib.disconnected': { target: 'backoff', actions: 'failAttempt' },
          'ib.protocolError': { target: 'backoff', actions: ['countProtocolError', 'failAttempt'] },
          'ib.nextValidId': { actions: assign({ nextValidId: ({ event }) => event.orderId }) },
          'ib.managedAccounts': { actions: assign({ accounts: ({ event }) => event.accounts }) },
          'ib.message': [
            { guard: 'clientIdInUse', target: 'connecting', reenter: true, actions: ['observeMessage', 'disconnect', 'nextClientId'] },
            { guard: 'clientError', target: 'backoff', actions: ['observeMessage', 'failAttempt'] },
            { actions: 'observeMessage' },
          ],
        },
      },
      handshaking: {
        after: { handshakeTimeout: { target: 'backoff', actions: 'failAttempt' } },
        always: { guard: 'handshakeComplete', target: 'connected' },
        on: {
          'ib.nextValidId': { actions: assign({ nextValidId: ({ event }) => event.orderId }) },
          'ib.managedAccounts': { actions: assign({ accounts: ({ event }) => event.accounts }) },
          'ib.disconnected': { target: 'backoff', actions: 'failAttempt' },
          'ib.protocolError': { target: 'backoff', actions: ['countProtocolError', 'failAttempt'] },
          'ib.message': [
            { guard: 'clientIdInUse', target: 'connecting', actions: ['observeMessage', 'disconnect', 'nextClientId'] },
            { guard: 'clientError', target: 'backoff', actions: ['observeMessage', 'failAttempt'] },
            { actions: 'observeMessage' },
          ],
        },
      },
      connected: {
        type: 'parallel',
        entry: ['markConnected', 'reportAttemptSucceeded', sendTo('client', { type: 'online' } satisfies IbClientCommand), 'announceReady'],
        exit: ['markDisconnected', 'releaseOrders', sendTo('client', { type: 'offline' } satisfies IbClientCommand)],
        on: {
          'ib.disconnected': { target: 'backoff', actions: 'noteFailure' },
          'ib.protocolError': { target: 'backoff', actions: ['countProtocolError', 'noteFailure'] },
          HALF_OPEN: { target: 'backoff', actions: ['markHalfOpen', 'noteFailure'] },
          RECONNECT: { target: 'connecting', actions: 'disconnect' },
          FAILOVER: { target: 'failover', actions: 'disconnect' },
          'ib.primaryReachable': { guard: 'onBackup', target: 'connecting', actions: ['disconnect', 'failBack'] },
          'ib.nextValidId': { actions: assign({ nextValidId: ({ event }) => event.orderId }) },
          'ib.message': [
            { guard: 'clientError', target: 'backoff', actions: ['observeMessage', 'noteFailure'] },
            { guard: 'connectivityLost', target: '.health.ibServerLost', actions: 'observeMessage' },
            { guard: 'restored', target: '.health.healthy', actions: 'observeMessage' },
            { actions: 'observeMessage' },
          ],
        },
        states: {
          health: {
            initial: 'healthy',
            states: {
              healthy: { always: { guard: 'farmsBroken', target: 'degraded' } },
              degraded: { always: { guard: 'farmsOk', target: 'healthy' } },
              ibServerLost: { entry: 'holdOrders', exit: 'releaseOrders' },
            },
          },
          heartbeat: {
            initial: 'idle',
            states: {
              idle: { after: { heartbeatInterval: 'waiting' } },
              waiting: {
                entry: 'heartbeat',
                on: { 'ib.currentTime': 'idle' },
                after: { heartbeatTimeout: { actions: raise({ type: 'HALF_OPEN' }) } },
              },
            },
          },
          stability: {
            initial: 'settling',
            states: {
              settling: { after: { stableAfter: { target: 'stable', actions: 'markStable' } } },
              stable: {},
            },
          },
          failback: {
            initial: 'waiting',
            states: {
              waiting: { after: { probeInterval: { guard: 'onBackup', target: 'probing' } } },
              probing: {
                invoke: {
                  src: 'probe',
                  input: ({ context }: { context: IbConnectionContext }) => context.gateways[0],
                  onDone: { actions: raise({ type: 'ib.primaryReachable' }) },
                  onError: 'waiting',
                },
              },
            },
          },
        },
      },
      backoff: {
        entry: ['disconnect', 'planBackoff'],
        always: { guard: 'shouldFailOver', target: 'failover' },
        after: { backoffDelay: 'connecting' },
        on: { RECONNECT: 'connecting', FAILOVER: 'failover' },
      },
      failover: {
        entry: 'failOver',
        always: 'connecting',
      },
      stopped: {
        entry: 'disconnect',
        type: 'final',
      },
    },
  });
}

function describeFailure(event: IbConnectionEvent): string {
  switch (event.type) {
    case 'ib.disconnected':
      return `disconnected${event.reason ? `: ${event.reason}` : ''}`;
    case 'ib.message':
      return `${event.code}: ${event.message}`;
    case 'ib.protocolError':
      return `protocol error: ${event.reason}`;
    case 'HALF_OPEN':
      return 'heartbeat unanswered: socket half-open';
    default:
      return event.type.startsWith('xstate.after') ? 'timed out' : event.type;
  }
}
