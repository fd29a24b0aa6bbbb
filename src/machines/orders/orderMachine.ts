import { and, assign, enqueueActions, setup, stopChild, type AnyActorLogic } from 'xstate';
import { applyFill, isFullyFilled } from './fillMath.ts';
import { sliceClientOrderId } from './algorithms/twapSchedule.ts';
import { deadlineTimer } from './deadlineTimer.ts';
import type { Fill, OrderChanges, OrderContext, OrderEvent, OrderInput, OrderSpec, SubmitOutcome } from './orderTypes.ts';
import { errorMessage } from '../../shared/errorMessage.ts';
import { SHUTDOWN_EVENT } from '../../supervision/shutdownProtocol.ts';

type FillEvent = Extract<OrderEvent, { type: 'broker.fill' }>;

/** What the order machine's invoked actors are: each does one piece of I/O and answers with an event or output. */
export interface OrderActors {
  submit: AnyActorLogic;
  cancel: AnyActorLogic;
  lookup: AnyActorLogic;
  /** Sends the order again under its broker id with the pending changes (IB's way to modify). */
  modify: AnyActorLogic;
  /** The limit-chase algorithm (a child that asks this order to reprice). */
  chase: AnyActorLogic;
  /** The TWAP schedule (a child that says when each slice is due). */
  twap: AnyActorLogic;
  /** IB's whatIf: resolves `{ ok, reason? }` from the margin the order would use. */
  marginCheck: AnyActorLogic;
}

/**
 * The order's synchronous I/O: reads and writes the machine calls inside a transition, so the hot
 * path starts no actors for them. The machine decides when; these decide nothing about the lifecycle.
 */
export interface OrderEffects {
  /** Whether orders may be sent now (not while the connection is cut off from IB). */
  canSendOrders(): boolean;
  /** The pre-trade checks: null when the order passes (it then counts against the limits), else why not. */
  checkOrder(context: OrderContext): string[] | null;
  /** Why the working order may not take these changes (empty: it may). */
  checkModify(context: OrderContext, changes: OrderChanges): string[];
  /** A refused modify, with every reason (recorded in the order's history). */
  modifyRefused(context: OrderContext, changes: OrderChanges, reasons: string[]): void;
  /** Write the order's state durably. */
  persist(context: OrderContext, state: string): void;
  /** Issue slice `index` of a TWAP parent as a child order (idempotent by its clientOrderId). */
  issueSlice(parent: OrderSpec, index: number, quantity: number): void;
  /** Ask the given slices (child orders) to cancel. */
  cancelSlices(parent: OrderSpec, slices: string[]): void;
}

/**
 * One order's lifecycle, with its I/O passed in: `effects` are synchronous calls made inside a
 * transition (checks, the durable write, slices); `actors` are invoked: `submit` (places the order
 * and resolves with the broker order id), `cancel`, `modify`, `lookup` (finds the order at the
 * broker by its orderRef when a submission is in doubt, so it is never sent twice blindly), plus
 * the algorithm children `chase` and `twap`. The connection announces `connection.ready` to
 * waiting orders.
 */
export function createOrderMachine(actors: OrderActors, effects: OrderEffects) {
  return setup({
    types: {
      context: {} as OrderContext,
      events: {} as OrderEvent,
      input: {} as OrderInput,
    },
    actors: { ...actors, deadlineTimer },
    delays: {
      ackTimeout: ({ context }) => context.timing.ackTimeoutMs,
      cancelTimeout: ({ context }) => context.timing.cancelTimeoutMs,
    },
    guards: {
      deadlinePassed: ({ context }) => context.deadlinePassed,
      statusChanged: ({ context, event }) => event.type === 'broker.acknowledged' && event.status !== context.brokerStatus,
      /** The whatIf check runs once, when configured and the connection can answer it. */
      checksMargin: ({ context }) => context.marginCheck && !context.marginChecked,
      /**
       * Restored (a process restart or a supervised restart): every send attempt is recorded before
       * its placeOrder leaves, so an order with an attempt may be at the broker and is looked up
       * first; one with none was never sent. A TWAP parent never sends an order itself.
       */
      mayHaveBeenSent: ({ context }) => context.recovered && context.sendAttempt > context.absentAttempt,
      /** The store refused the send: an earlier attempt may be live, or the record is gone. */
      sendRefused: ({ event }) => !(event as unknown as { output: SubmitOutcome }).output.sent,
      cancelPending: ({ context }) => context.cancelPending,
      /** 10148: the order is already filled, so the cancel lost the race to the fill. */
      alreadyFilled: ({ event }) => event.type === 'broker.cancelFailed' && event.code === 10148,
      /**
       * A modify goes only if it asks for more than has filled and passes the pre-trade checks with
       * its new terms (collar, sizes, limits, price grid).
       */
      modifyAllowed: ({ context, event }) =>
        event.type === 'MODIFY' && (event.quantity === undefined || event.quantity > context.filledQuantity) && effects.checkModify(context, changesOf(event)).length === 0,
      fillCompletes: ({ context, event }) => {
        const applied = applyFill(context, (event as FillEvent).fill);
        return applied !== null && (applied.filledQuantity ?? context.filledQuantity) >= context.order.quantity;
      },
      fullyFilled: ({ context }) => isFullyFilled(context),
      partlyFilled: ({ context }) => context.filledQuantity > 0 && !isFullyFilled(context),
      foundFilled: ({ context, event }) =>
        event.type === 'reconcile.found' && event.filledQuantity >= context.order.quantity,
      foundFinished: ({ event }) => event.type === 'reconcile.found' && /cancel/i.test(event.status),
      isTwap: ({ context }) => context.order.algorithm?.kind === 'twap',
      canSendOrders: () => effects.canSendOrders(),
      checksFailed: ({ context }) => context.checkFailures !== null,
      /** Every slice issued and every one of them ended: the parent's outcome is known. */
      slicesSettled: ({ context }) => slicesSettled(context),
      slicesAllRejected: ({ context }) => context.filledQuantity === 0 && Object.values(context.slices).every((state) => state === 'rejected'),
      /** Nothing left to wait for once cancelling: no slice is still open. */
      noOpenSlices: ({ context }) => Object.values(context.slices).every((state) => state !== 'open'),
    },
    actions: {
      startModify: assign(({ event }) => ({ pendingModify: changesOf(event as Extract<OrderEvent, { type: 'MODIFY' }>) })),
      confirmModify: enqueueActions(({ context, enqueue }) => {
        const order = { ...context.order, ...(context.pendingModify ?? {}) };
        enqueue.assign({ order, pendingModify: null });
        // The chase reprices from what the broker holds, whoever asked for the change.
        if (context.chase === 'running' && order.limitPrice !== undefined) enqueue.sendTo('algo', { type: 'limit.confirmed', limitPrice: order.limitPrice });
      }),
      /** Limit-chase starts once the broker works the order, and only once per incarnation. */
      startChase: enqueueActions(({ context, enqueue }) => {
        const algorithm = context.order.algorithm;
        if (algorithm?.kind !== 'limitChase' || context.chase !== 'idle' || context.order.limitPrice === undefined) return;
        enqueue.spawnChild('chase', {
          id: 'algo',
          input: {
            symbol: context.order.symbol,
            side: context.order.side,
            tickSize: context.tickSize,
            limitPrice: context.order.limitPrice,
            repriceEveryMs: algorithm.repriceEveryMs,
            deadlineInMs: algorithm.deadlineMs - context.elapsedMs,
            atDeadline: algorithm.atDeadline,
            crossTicks: 2,
          },
        });
        enqueue.assign({ chase: 'running' });
      }),
      stopChase: enqueueActions(({ context, enqueue }) => {
        if (context.chase !== 'running') return;
        enqueue(stopChild('algo'));
        enqueue.assign({ chase: 'done' });
      }),
      recordSlice: assign(({ context, event }) => {
        const { index } = event as Extract<OrderEvent, { type: 'algo.slice' }>;
        const id = sliceClientOrderId(context.order.clientOrderId, index);
        return { slicesIssued: Math.max(context.slicesIssued, index + 1), slices: { ...context.slices, [id]: context.slices[id] ?? 'open' } };
      }),
      recordSliceEnd: assign(({ context, event }) => {
        const { childId, state } = event as Extract<OrderEvent, { type: 'child.done' }>;
        return { slices: { ...context.slices, [childId]: state } };
      }),
      applyChildFill: assign(({ context, event }) => applyFill(context, (event as Extract<OrderEvent, { type: 'child.fill' }>).fill) ?? {}),
      issueSlice: ({ context }, params: { index: number; quantity: number }) => effects.issueSlice(context.order, params.index, params.quantity),
      cancelSlices: ({ context }, params: { slices: string[] }) => effects.cancelSlices(context.order, params.slices),
      dropModify: assign({ pendingModify: null }),
      /** A running chase hears that its modify did not happen (at its deadline it then cancels instead). */
      tellChaseRefused: enqueueActions(({ context, enqueue }) => {
        if (context.chase === 'running') enqueue.sendTo('algo', { type: 'limit.refused' });
      }),
      /** Why the modify is refused (recorded, audited); the working order stays as it is. */
      refuseModify: enqueueActions(({ context, event, enqueue }) => {
        if (event.type !== 'MODIFY') return;
        const changes = changesOf(event);
        const reasons = [
          ...(event.quantity !== undefined && event.quantity <= context.filledQuantity ? [`quantity ${event.quantity} is not above the ${context.filledQuantity} already filled`] : []),
          ...effects.checkModify(context, changes),
        ];
        enqueue.assign({ modifyRefusal: reasons.join('; ') });
        effects.modifyRefused(context, changes, reasons);
      }),
      /** The pre-trade checks: only a refusal changes the context (a passing order keeps its context object, so the store skips re-serialising it). */
      runChecks: enqueueActions(({ context, enqueue }) => {
        const failures = effects.checkOrder(context);
        if (failures !== null) enqueue.assign({ checkFailures: failures });
      }),
      /** The machine decides when the order's state is written durably. */
      persist: ({ context }, params: { state: string }) => effects.persist(context, params.state),
      applyFill: assign(({ context, event }) => applyFill(context, (event as FillEvent).fill) ?? {}),
      applyReconciled: assign(({ context, event }) => {
        if (event.type !== 'reconcile.found') return {};
        let next: OrderContext = { ...context, ibOrderId: event.ibOrderId, brokerStatus: event.status };
        for (const fill of event.fills) next = { ...next, ...(applyFill(next, fill as Fill) ?? {}) };
        return next;
      }),
      /** The lookup found nothing at the broker: this attempt is dead, and the store may allow another. */
      recordAbsent: assign(({ context }) => ({ ibOrderId: null, absentAttempt: context.sendAttempt })),
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
      checkFailures: null,
      deadlinePassed: false,
      marginCheck: input.marginCheck ?? false,
      marginChecked: false,
      tickSize: input.tickSize ?? 0.01,
      elapsedMs: input.elapsedMs ?? 0,
      slicesIssued: 0,
      slices: {},
      sendAttempt: 0,
      modifyRefusal: null,
      ...input.restored,
      recovered: input.restored !== undefined,
      // What a lookup found before is no proof now: a restored order with an attempt is looked up again.
      absentAttempt: 0,
      // A child does not survive its process: a restored order starts its chase afresh.
      chase: 'idle' as const,
    }),
    initial: 'received',
    entry: enqueueActions(({ context, enqueue }) => {
      if (context.deadlineInMs !== null) enqueue.spawnChild('deadlineTimer', { id: 'deadline', input: { inMs: context.deadlineInMs } });
    }),
    on: {
      [SHUTDOWN_EVENT]: '.suspended',
      'xstate.done.actor.algo': { actions: assign({ chase: 'done' as const }) },
      'broker.commission': {
        guard: ({ context, event }) => context.execIds.includes(event.execId),
        actions: assign({ commission: ({ context, event }) => context.commission + event.commission }),
      },
    },
    states: {
      // An order restored after a restart is looked up by orderRef before anything else: it is never resent blindly.
      received: {
        always: [
          { guard: 'mayHaveBeenSent', target: 'inDoubt' },
          // A TWAP parent restored mid-schedule carries on; its checks passed before the crash.
          { guard: ({ context }) => context.order.algorithm?.kind === 'twap' && context.slicesIssued > 0, target: 'slicing' },
          { target: 'validating' },
        ],
      },
      validating: {
        entry: [{ type: 'persist', params: { state: 'validating' } }, 'runChecks'],
        always: [
          // Back from doubt with nothing at the broker after the deadline passed: it simply ran out of time.
          { guard: 'deadlinePassed', target: 'expired' },
          {
            guard: 'checksFailed',
            target: 'rejected',
            actions: assign({ rejectReason: ({ context }) => `pre-trade: ${(context.checkFailures ?? []).join('; ')}` }),
          },
          { guard: 'isTwap', target: 'slicing' },
          // An order that may go now goes now; holding is for orders that must wait.
          { guard: 'cancelPending', target: 'cancelled' },
          { guard: and(['checksMargin', 'canSendOrders']), target: 'checkingMargin' },
          { guard: 'canSendOrders', target: 'submitting' },
          { target: 'holding' },
        ],
      },
      /** Waiting until orders may be sent (connected, and not cut off from IB). */
      holding: {
        entry: { type: 'persist', params: { state: 'holding' } },
        always: [
          // A cancel that waited for an order the broker never saw: nothing to cancel there.
          { guard: 'cancelPending', target: 'cancelled' },
          { guard: and(['checksMargin', 'canSendOrders']), target: 'checkingMargin' },
          { guard: 'canSendOrders', target: 'submitting' },
        ],
        // Nothing was sent, so nothing needs cancelling: the order simply ran out of time.
        on: {
          'connection.ready': [
            { guard: and(['checksMargin', 'canSendOrders']), target: 'checkingMargin' },
            { guard: 'canSendOrders', target: 'submitting' },
          ],
          CANCEL: 'cancelled',
          DEADLINE: 'expired',
        },
      },
      /** The optional whatIf margin check: the broker says what the order would do to margin; nothing is placed. */
      checkingMargin: {
        entry: { type: 'persist', params: { state: 'checkingMargin' } },
        invoke: {
          src: 'marginCheck',
          input: ({ context }: { context: OrderContext }) => context,
          onDone: [
            { guard: ({ event }) => (event.output as { ok: boolean }).ok, target: 'submitting', actions: assign({ marginChecked: true }) },
            { target: 'rejected', actions: assign({ rejectReason: ({ event }) => `whatIf margin: ${(event.output as { reason?: string }).reason ?? 'refused'}` }) },
          ],
          onError: { target: 'rejected', actions: assign({ rejectReason: ({ event }) => `whatIf margin check failed: ${errorMessage(event.error)}` }) },
        },
        on: { CANCEL: 'cancelled', DEADLINE: 'expired' },
      },
      submitting: {
        entry: { type: 'persist', params: { state: 'submitting' } },
        invoke: {
          src: 'submit',
          input: ({ context }: { context: OrderContext }) => context,
          onDone: [
            // Never sent blindly: an attempt that may be live is looked up at the broker first.
            { guard: 'sendRefused', target: 'inDoubt', actions: assign({ sendAttempt: ({ context, event }) => Math.max(context.sendAttempt, (event.output as SubmitOutcome).attempt) }) },
            {
              actions: assign(({ event }) => {
                const sent = event.output as Extract<SubmitOutcome, { sent: true }>;
                return { ibOrderId: sent.ibOrderId, sendAttempt: sent.attempt };
              }),
            },
          ],
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
            { guard: 'fillCompletes', target: 'filled', actions: 'applyFill' },
            { guard: 'cancelPending', target: 'cancelling', actions: 'applyFill' },
            { target: 'partiallyFilled', actions: 'applyFill' },
          ],
          'broker.rejected': { target: 'rejected', actions: assign({ rejectReason: ({ event }) => `${event.code}: ${event.reason}` }) },
          'broker.cancelled': 'cancelled',
          // Cancels jump the outbound queue, so one sent now could reach the broker before its order:
          // hold it until the broker has the order.
          CANCEL: { actions: assign({ cancelPending: true }) },
          // Likewise the deadline: acted on once the broker has the order.
          DEADLINE: { actions: assign({ deadlinePassed: true }) },
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
          // The broker never saw it: sending it now cannot duplicate it. It is checked again first
          // (a restored order may never have been checked, or been refused before the crash).
          'reconcile.notFound': { target: 'validating', actions: 'recordAbsent' },
          CANCEL: { actions: assign({ cancelPending: true }) },
          DEADLINE: { actions: assign({ deadlinePassed: true }) },
          'broker.acknowledged': 'working',
          'broker.fill': [
            { guard: 'fillCompletes', target: 'filled', actions: 'applyFill' },
            { target: 'partiallyFilled', actions: 'applyFill' },
          ],
          'broker.rejected': { target: 'rejected', actions: assign({ rejectReason: ({ event }) => `${event.code}: ${event.reason}` }) },
        },
      },
      working: {
        entry: [{ type: 'persist', params: { state: 'working' } }, 'startChase'],
        always: [
          { guard: 'fullyFilled', target: 'filled' },
          { guard: 'deadlinePassed', target: 'expiring' },
          { guard: 'partlyFilled', target: 'partiallyFilled' },
        ],
        on: {
          DEADLINE: 'expiring',
          // IB repeats a status (openOrder and orderStatus both say Submitted): only a change is worth a new context.
          'broker.acknowledged': { guard: 'statusChanged', actions: assign({ brokerStatus: ({ event }) => event.status }) },
          'broker.fill': [
            { guard: 'fillCompletes', target: 'filled', actions: 'applyFill' },
            { target: 'partiallyFilled', actions: 'applyFill' },
          ],
          'broker.cancelled': 'cancelled',
          'broker.rejected': { target: 'rejected', actions: assign({ rejectReason: ({ event }) => `${event.code}: ${event.reason}` }) },
          CANCEL: 'cancelling',
          MODIFY: [{ guard: 'modifyAllowed', target: 'modifying', actions: 'startModify' }, { actions: ['refuseModify', 'tellChaseRefused', { type: 'persist', params: { state: 'working' } }] }],
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
            { guard: 'partlyFilled', target: 'partiallyFilled', actions: ['dropModify', 'tellChaseRefused'] },
            { target: 'working', actions: ['dropModify', 'tellChaseRefused'] },
          ],
          'broker.fill': [
            { guard: 'fillCompletes', target: 'filled', actions: 'applyFill' },
            { actions: ['applyFill', { type: 'persist', params: { state: 'modifying' } }] },
          ],
          'broker.cancelled': 'cancelled',
          CANCEL: 'cancelling',
        },
      },
      partiallyFilled: {
        entry: [{ type: 'persist', params: { state: 'partiallyFilled' } }, 'startChase'],
        always: { guard: 'deadlinePassed', target: 'expiring' },
        on: {
          DEADLINE: 'expiring',
          // IB repeats a status (openOrder and orderStatus both say Submitted): only a change is worth a new context.
          'broker.acknowledged': { guard: 'statusChanged', actions: assign({ brokerStatus: ({ event }) => event.status }) },
          'broker.fill': [
            { guard: 'fillCompletes', target: 'filled', actions: 'applyFill' },
            { actions: ['applyFill', { type: 'persist', params: { state: 'partiallyFilled' } }] },
          ],
          'broker.cancelled': 'cancelled',
          CANCEL: 'cancelling',
          MODIFY: [{ guard: 'modifyAllowed', target: 'modifying', actions: 'startModify' }, { actions: ['refuseModify', 'tellChaseRefused', { type: 'persist', params: { state: 'partiallyFilled' } }] }],
        },
      },
      /** TWAP parent: slices are issued on schedule as child orders; it ends when they all have. */
      slicing: {
        entry: { type: 'persist', params: { state: 'slicing' } },
        invoke: {
          src: 'twap',
          input: ({ context }: { context: OrderContext }) => {
            const algorithm = context.order.algorithm as Extract<OrderContext['order']['algorithm'], { kind: 'twap' }>;
            return { quantity: context.order.quantity, slices: algorithm.slices, durationMs: algorithm.durationMs, issued: context.slicesIssued, elapsedMs: context.elapsedMs };
          },
        },
        always: [
          { guard: 'fullyFilled', target: 'filled' },
          { guard: 'slicesSettled', target: 'slicesEnded' },
        ],
        on: {
          DEADLINE: 'expiringSlices',
          'algo.slice': {
            actions: [
              'recordSlice',
              { type: 'persist', params: { state: 'slicing' } },
              { type: 'issueSlice', params: ({ event }) => ({ index: event.index, quantity: event.quantity }) },
            ],
          },
          'child.fill': { actions: ['applyChildFill', { type: 'persist', params: { state: 'slicing' } }] },
          'child.done': { actions: ['recordSliceEnd', { type: 'persist', params: { state: 'slicing' } }] },
          CANCEL: 'cancellingSlices',
        },
      },
      /** Every slice ended without filling the whole: rejected if nothing got through, else cancelled. */
      slicesEnded: {
        always: [
          { guard: 'fullyFilled', target: 'filled' },
          { guard: 'slicesAllRejected', target: 'rejected', actions: assign({ rejectReason: 'every TWAP slice was rejected' }) },
          { target: 'cancelled' },
        ],
      },
      cancellingSlices: cancelSlicesUntilEnded('cancellingSlices', 'cancelled'),
      expiringSlices: cancelSlicesUntilEnded('expiringSlices', 'expired'),
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
    entry: [{ type: 'persist', params: { state: self } }, 'stopChase'],
    invoke: { src: 'cancel', input: ({ context }: { context: OrderContext }) => context },
    after: { cancelTimeout: { target: self, reenter: true } },
    on: {
      'broker.cancelled': endsAs,
      'broker.fill': [
        { guard: 'fillCompletes', target: 'filled', actions: 'applyFill' },
        { actions: 'applyFill' },
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

/**
 * A TWAP parent cancelling (on request or at its deadline): no more slices are issued, every open
 * slice is asked to cancel, and the parent ends once each slice has ended (fills that race the
 * cancels still count).
 */
function cancelSlicesUntilEnded<S extends 'cancellingSlices' | 'expiringSlices'>(self: S, endsAs: 'cancelled' | 'expired') {
  return {
    entry: [
      { type: 'persist', params: { state: self } },
      { type: 'cancelSlices', params: ({ context }: { context: OrderContext }) => ({ slices: Object.keys(context.slices).filter((id) => context.slices[id] === 'open') }) },
    ],
    always: [
      { guard: 'fullyFilled', target: 'filled' },
      { guard: 'noOpenSlices', target: endsAs },
    ],
    on: {
      'child.fill': { actions: ['applyChildFill', { type: 'persist', params: { state: self } }] },
      'child.done': { actions: ['recordSliceEnd', { type: 'persist', params: { state: self } }] },
    },
  } as const;
}

function slicesSettled(context: OrderContext): boolean {
  const algorithm = context.order.algorithm;
  if (algorithm?.kind !== 'twap') return false;
  const planned = Math.min(algorithm.slices, context.order.quantity);
  return context.slicesIssued >= planned && Object.values(context.slices).every((state) => state !== 'open');
}

export const TERMINAL_ORDER_STATES = ['filled', 'cancelled', 'rejected', 'expired'] as const;

function changesOf(event: Extract<OrderEvent, { type: 'MODIFY' }>): OrderChanges {
  const { quantity, limitPrice, stopPrice } = event;
  return { ...(quantity !== undefined ? { quantity } : {}), ...(limitPrice !== undefined ? { limitPrice } : {}), ...(stopPrice !== undefined ? { stopPrice } : {}) };
}
