import { assign, setup, type ActorLogic, type AnyEventObject, type NonReducibleUnknown } from 'xstate';
import type { HoldInput, LeaseContext, LeaseEvent, LeaseInput, ReleaseInput } from './leaseTypes.ts';
import { errorMessage } from '../../shared/errorMessage.ts';
import { SHUTDOWN_EVENT } from '../../supervision/shutdownProtocol.ts';

type Callback<TInput> = ActorLogic<any, AnyEventObject, TInput, any, any>;
type Task<TInput> = ActorLogic<any, any, TInput, any, any>;

/** The lease's I/O, injected: Redis scripts and the runtime's capabilities. */
export interface LeaseActors {
  /** Polls for the lease (and hears of releases); sends `lease.acquired` once this node holds it, `lease.seen` as holders change. */
  awaitLease: Callback<LeaseInput>;
  /** Renews the held lease; sends `lease.lost` when a renewal is refused, arrives too late, or a write was fenced. */
  holdLease: Callback<HoldInput>;
  /** Starts the capabilities only the active node runs (broker, orders, market data, regulatory, reports). */
  startCapabilities: Task<HoldInput>;
  /** Stops them and releases the lease if it is still this node's. */
  stopCapabilities: Task<ReleaseInput>;
}

/**
 * One active node per namespace. A standby waits for the lease; holding it, the node starts its
 * capabilities and renews; losing it (or handing it over) stops them before anything else, so a
 * node that is not active runs nothing that writes or sends.
 */
export function createLeaseMachine(actors: LeaseActors) {
  return setup({
    types: { context: {} as LeaseContext, events: {} as LeaseEvent, input: {} as LeaseInput },
    actors: actors as unknown as Record<keyof LeaseActors, ActorLogic<any, any, NonReducibleUnknown, any, any>>,
    actions: {
      forgetToken: assign({ token: null, value: null }),
      noteLoss: assign(({ context, event }) => ({
        losses: context.losses + 1,
        lastLoss: event.type === 'lease.lost' ? event.reason : context.lastLoss,
        activeNodeId: null,
      })),
    },
  }).createMachine({
    id: 'lease',
    context: ({ input }) => ({ ...input, token: null, value: null, activeNodeId: null, acquisitions: 0, losses: 0, lastLoss: null, retiring: false }),
    initial: 'standby',
    states: {
      standby: {
        invoke: { src: 'awaitLease', input: ({ context }) => ({ namespace: context.namespace, nodeId: context.nodeId }) },
        on: {
          'lease.acquired': {
            target: 'holding',
            actions: assign(({ context, event }) => ({ token: event.token, value: event.value, activeNodeId: context.nodeId, acquisitions: context.acquisitions + 1 })),
          },
          'lease.seen': { actions: assign({ activeNodeId: ({ event }) => event.holder }) },
          'lease.standDown': 'retired',
          [SHUTDOWN_EVENT]: 'stopped',
        },
      },
      holding: {
        invoke: { src: 'holdLease', input: ({ context }) => ({ token: context.token!, value: context.value! }) },
        initial: 'starting',
        states: {
          starting: {
            invoke: {
              src: 'startCapabilities',
              input: ({ context }) => ({ token: context.token!, value: context.value! }),
              onDone: 'active',
              onError: {
                target: '#lease.steppingDown',
                actions: assign({ lastLoss: ({ event }) => `capabilities failed to start: ${errorMessage(event.error)}` }),
              },
            },
          },
          active: {},
        },
        on: {
          'lease.lost': { target: 'steppingDown', actions: 'noteLoss' },
          'lease.standDown': 'handingOver',
          [SHUTDOWN_EVENT]: 'handingOver',
        },
      },
      steppingDown: {
        invoke: {
          src: 'stopCapabilities',
          input: ({ context }) => ({ value: context.value, reason: context.lastLoss ?? 'lease lost' }),
          onDone: [{ guard: ({ context }) => context.retiring, target: 'retired', actions: 'forgetToken' }, { target: 'standby', actions: 'forgetToken' }],
          onError: [{ guard: ({ context }) => context.retiring, target: 'retired', actions: 'forgetToken' }, { target: 'standby', actions: 'forgetToken' }],
        },
        on: {
          'lease.standDown': { actions: assign({ retiring: true }) },
          [SHUTDOWN_EVENT]: { actions: assign({ retiring: true }) },
        },
      },
      handingOver: {
        invoke: {
          src: 'stopCapabilities',
          input: ({ context }) => ({ value: context.value, reason: 'handover' }),
          onDone: { target: 'retired', actions: 'forgetToken' },
          onError: { target: 'retired', actions: 'forgetToken' },
        },
      },
      /** Stood down for good (the process is stopping): holds nothing, waits for nothing. */
      retired: {
        on: { [SHUTDOWN_EVENT]: 'stopped' },
      },
      stopped: { type: 'final' },
    },
  });
}
