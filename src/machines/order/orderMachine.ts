import { assign, emit, setup, type AnyActorLogic } from 'xstate';
import { applyFill, isFullyFilled } from './fillMath';
import type { Fill, OrderContext, OrderEmitted, OrderEvent, OrderInput } from './orderTypes';

type FillEvent = Extract<OrderEvent, { type: 'broker.fill' }>;

/**
 * One order's lifecycle. What it talks to is injected: `checks` (pre-trade), `gate` (tells it when
 * orders may be sent: not while the connection is cut off from IB), `submit` (places the order and
 * resolves with the broker order id), `cancel`, and `lookup` (finds the order at the broker by its
 * orderRef when a submission is in doubt, so it is never sent twice blindly).
 */
export function createOrderMachine(actors: {
  checks: AnyActorLogic;
  gate: AnyActorLogic;
  submit: AnyActorLogic;
  cancel: AnyActorLogic;
  lookup: AnyActorLogic;
  /** Sends the order again under its broker id with the pending changes (IB's way to modify). */
  modify: AnyActorLogic;
}) {
  return setup({
    types: {
      context: {} as OrderContext,
      events: {} as OrderEvent,
      input: {} as OrderInput,
      emitted: {} as OrderEmitted,
    },
    actors,
    delays: {
      ackTimeout: ({ context }) => context.timing.ackTimeoutMs,
      cancelTimeout: ({ context }) => context.timing.cancelTimeoutMs,
      deadline: ({ context }) => context.deadlineInMs ?? 2_147_483_647,
    },
    guards: {
      hasDeadline: ({ context }) => context.deadlineInMs !== null,
      wasSent: ({ context }) => context.ibOrderId !== null,
      cancelPending: ({ context }) => context.cancelPending,
      /** 10148: the order is already filled, so the cancel lost the race to the fill. */
      alreadyFilled: ({ event }) => event.type === 'broker.cancelFailed' && event.code === 10148,
      /** A smaller quantity than already filled cannot be asked for. */
      modifyPossible: ({ context, event }) => event.type === 'MODIFY' && (event.quantity === undefined || event.quantity > context.filledQuantity),
      fillCompletes: ({ context, event }) => {
        const applied = applyFill(context, (event as FillEvent).fill);
        return applied !== null && (applied.filledQuantity ?? context.filledQuantity) >= context.order.quantity;
      },
      fullyFilled: ({ context }) => isFullyFilled(context),
      partlyFilled: ({ context }) => context.filledQuantity > 0 && !isFullyFilled(context),
      foundFilled: ({ context, event }) =>
        event.type === 'reconcile.found' && event.filledQuantity >= context.order.quantity,
      foundFinished: ({ event }) => event.type === 'reconcile.found' && /cancel/i.test(event.status),
    },
    actions: {
      startModify: assign(({ event }) => {
        const { type: _type, ...changes } = event as Extract<OrderEvent, { type: 'MODIFY' }>;
        return { pendingModify: changes };
      }),
      confirmModify: assign(({ context }) => ({
        order: { ...context.order, ...(context.pendingModify ?? {}) },
        pendingModify: null,
      })),
      dropModify: assign({ pendingModify: null }),
      /** Provided by the actor layer: write the order's state durably. The machine decides when. */
      persist: (_: unknown, _params: { state: string }) => {},
      applyFill: assign(({ context, event }) => applyFill(context, (event as FillEvent).fill) ?? {}),
      announceFill: emit(({ context, event }): OrderEmitted => ({
        type: 'order.fill',
        clientOrderId: context.order.clientOrderId,
        fill: (event as FillEvent).fill,
        filledQuantity: context.filledQuantity,
        averagePrice: context.averagePrice ?? 0,
      })),
      applyReconciled: assign(({ context, event }) => {
        if (event.type !== 'reconcile.found') return {};
        let next: OrderContext = { ...context, ibOrderId: event.ibOrderId, brokerStatus: event.status };
        for (const fill of event.fills) next = { ...next, ...(applyFill(next, fill as Fill) ?? {}) };
        return next;
      }),
    },
  }).createMachine({
    id: 'order',
    context: ({ input }) => ({
      order: input.order,
      timing: input.timing,
      deadlineInMs: input.deadlineInMs ?? null,
      ibOrderId: null,
      filledQuantity: 0,
      averagePrice: null,
      commission: 0,
      execIds: [],
      fills: [],
      rejectReason: null,
      brokerStatus: null,
      cancelPending: false,
      pendingModify: null,
      ...input.restored,
    }),
    initial: 'received',
    on: {
      'tradewire.shutdown': '.suspended',
      'broker.commission': {
        guard: ({ context, event }) => context.execIds.includes(event.execId),
        actions: assign({ commission: ({ context, event }) => context.commission + event.commission }),
      },
    },
    states: {
      // An order restored after a restart that had already been sent is looked up, never resent.
      received: { always: [{ guard: 'wasSent', target: 'inDoubt' }, { target: 'validating' }] },
      validating: {
        entry: { type: 'persist', params: { state: 'validating' } },
        invoke: {
          src: 'checks',
          input: ({ context }: { context: OrderContext }) => context.order,
          onDone: [
            { guard: ({ event }) => (event.output as { ok: boolean }).ok, target: 'holding' },
            {
              target: 'rejected',
              actions: assign({ rejectReason: ({ event }) => `pre-trade: ${((event.output as { reasons?: string[] }).reasons ?? []).join('; ')}` }),
            },
          ],
          onError: { target: 'rejected', actions: assign({ rejectReason: ({ event }) => `pre-trade check failed: ${String(event.error)}` }) },
        },
        on: { CANCEL: 'cancelled' },
      },
      /** Waiting until orders may be sent (connected, and not cut off from IB). */
      holding: {
        entry: { type: 'persist', params: { state: 'holding' } },
        // A cancel that waited for an order the broker never saw: nothing to cancel there.
        always: { guard: 'cancelPending', target: 'cancelled' },
        invoke: { src: 'gate' },
        on: { 'connection.ready': 'submitting', CANCEL: 'cancelled' },
      },
      submitting: {
        entry: { type: 'persist', params: { state: 'submitting' } },
        invoke: {
          src: 'submit',
          input: ({ context }: { context: OrderContext }) => context,
          onDone: { actions: assign({ ibOrderId: ({ event }) => event.output as number }) },
          onError: { target: 'rejected', actions: assign({ rejectReason: ({ event }) => `submit failed: ${String(event.error)}` }) },
        },
        after: { ackTimeout: 'inDoubt' },
        on: {
          'broker.submitted': { actions: assign({ ibOrderId: ({ event }) => event.ibOrderId }) },
          'broker.acknowledged': [
            { guard: 'cancelPending', target: 'cancelling', actions: assign({ brokerStatus: ({ event }) => event.status }) },
            { target: 'working', actions: assign({ brokerStatus: ({ event }) => event.status }) },
          ],
          'broker.fill': [
            { guard: 'fillCompletes', target: 'filled', actions: ['applyFill', 'announceFill'] },
            { guard: 'cancelPending', target: 'cancelling', actions: ['applyFill', 'announceFill'] },
            { target: 'partiallyFilled', actions: ['applyFill', 'announceFill'] },
          ],
          'broker.rejected': { target: 'rejected', actions: assign({ rejectReason: ({ event }) => `${event.code}: ${event.reason}` }) },
          'broker.cancelled': 'cancelled',
          // Cancels jump the outbound queue, so one sent now could reach the broker before its order:
          // hold it until the broker has the order.
          CANCEL: { actions: assign({ cancelPending: true }) },
        },
      },
      /** Sent, but no word from the broker: look it up by orderRef before doing anything else. */
      inDoubt: {
        entry: { type: 'persist', params: { state: 'inDoubt' } },
        invoke: { src: 'lookup', input: ({ context }: { context: OrderContext }) => context },
        // A lookup that got no answer is asked again; doubt is never resolved by assumption.
        after: { ackTimeout: { target: 'inDoubt', reenter: true } },
        on: {
          'reconcile.found': [
            { guard: 'foundFilled', target: 'filled', actions: 'applyReconciled' },
            { guard: 'foundFinished', target: 'cancelled', actions: 'applyReconciled' },
            { guard: 'cancelPending', target: 'cancelling', actions: 'applyReconciled' },
            { target: 'working', actions: 'applyReconciled' },
          ],
          // The broker never saw it: sending it now cannot duplicate it.
          'reconcile.notFound': { target: 'holding', actions: assign({ ibOrderId: null }) },
          CANCEL: { actions: assign({ cancelPending: true }) },
          'broker.acknowledged': 'working',
          'broker.fill': [
            { guard: 'fillCompletes', target: 'filled', actions: ['applyFill', 'announceFill'] },
            { target: 'partiallyFilled', actions: ['applyFill', 'announceFill'] },
          ],
          'broker.rejected': { target: 'rejected', actions: assign({ rejectReason: ({ event }) => `${event.code}: ${event.reason}` }) },
        },
      },
      working: {
        entry: { type: 'persist', params: { state: 'working' } },
        always: [
          { guard: 'fullyFilled', target: 'filled' },
          { guard: 'partlyFilled', target: 'partiallyFilled' },
        ],
        after: { deadline: { guard: 'hasDeadline', target: 'expiring' } },
        on: {
          'broker.acknowledged': { actions: assign({ brokerStatus: ({ event }) => event.status }) },
          'broker.fill': [
            { guard: 'fillCompletes', target: 'filled', actions: ['applyFill', 'announceFill'] },
            { target: 'partiallyFilled', actions: ['applyFill', 'announceFill'] },
          ],
          'broker.cancelled': 'cancelled',
          'broker.rejected': { target: 'rejected', actions: assign({ rejectReason: ({ event }) => `${event.code}: ${event.reason}` }) },
          CANCEL: 'cancelling',
          MODIFY: { guard: 'modifyPossible', target: 'modifying', actions: 'startModify' },
        },
      },
      /** A modification is on its way: the broker confirms it (the order stays) or refuses it. */
      modifying: {
        entry: { type: 'persist', params: { state: 'modifying' } },
        invoke: { src: 'modify', input: ({ context }: { context: OrderContext }) => context },
        on: {
          'broker.acknowledged': [
            { guard: 'partlyFilled', target: 'partiallyFilled', actions: 'confirmModify' },
            { target: 'working', actions: 'confirmModify' },
          ],
          'broker.modifyRejected': [
            { guard: 'partlyFilled', target: 'partiallyFilled', actions: 'dropModify' },
            { target: 'working', actions: 'dropModify' },
          ],
          'broker.fill': [
            { guard: 'fillCompletes', target: 'filled', actions: ['applyFill', 'announceFill'] },
            { actions: ['applyFill', 'announceFill'] },
          ],
          'broker.cancelled': 'cancelled',
          CANCEL: 'cancelling',
        },
      },
      partiallyFilled: {
        entry: { type: 'persist', params: { state: 'partiallyFilled' } },
        after: { deadline: { guard: 'hasDeadline', target: 'expiring' } },
        on: {
          'broker.acknowledged': { actions: assign({ brokerStatus: ({ event }) => event.status }) },
          'broker.fill': [
            { guard: 'fillCompletes', target: 'filled', actions: ['applyFill', 'announceFill'] },
            { actions: ['applyFill', 'announceFill'] },
          ],
          'broker.cancelled': 'cancelled',
          CANCEL: 'cancelling',
          MODIFY: { guard: 'modifyPossible', target: 'modifying', actions: 'startModify' },
        },
      },
      cancelling: cancelUntilConfirmed('cancelling', 'cancelled'),
      /** The deadline passed: cancel, and end as expired rather than cancelled. */
      expiring: cancelUntilConfirmed('expiring', 'expired'),
      filled: { type: 'final', entry: { type: 'persist', params: { state: 'filled' } } },
      cancelled: { type: 'final', entry: { type: 'persist', params: { state: 'cancelled' } } },
      rejected: { type: 'final', entry: { type: 'persist', params: { state: 'rejected' } } },
      expired: { type: 'final', entry: { type: 'persist', params: { state: 'expired' } } },
      /** This incarnation stopped with the process; the order's durable state lets a new one resume. */
      suspended: { type: 'final', entry: { type: 'persist', params: { state: 'suspended' } } },
    },
  });
}

/**
 * Cancelling (on request or at the deadline): the cancel is sent and sent again until the broker
 * confirms it; a fill that races it wins, and a full fill ends the order.
 */
function cancelUntilConfirmed<S extends 'cancelling' | 'expiring'>(self: S, endsAs: 'cancelled' | 'expired') {
  return {
    entry: { type: 'persist', params: { state: self } },
    invoke: { src: 'cancel', input: ({ context }: { context: OrderContext }) => context },
    after: { cancelTimeout: { target: self, reenter: true } },
    on: {
      'broker.cancelled': endsAs,
      'broker.fill': [
        { guard: 'fillCompletes', target: 'filled', actions: ['applyFill', 'announceFill'] },
        { actions: ['applyFill', 'announceFill'] },
      ],
      // 10148 (already filled): the fill won. Anything else (10147, not found yet): the cancel
      // timeout sends it again; the request is never forgotten.
      'broker.cancelFailed': [
        { guard: 'fullyFilled', target: 'filled' },
        { guard: 'alreadyFilled', target: 'working' },
      ],
    },
  } as const;
}

export const TERMINAL_ORDER_STATES = ['filled', 'cancelled', 'rejected', 'expired'] as const;
