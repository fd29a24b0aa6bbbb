import { SimulatedClock, createActor, fromPromise, type AnyActorRef } from 'xstate';
import { createOrderMachine } from '../../../src/machines/orders/orderMachine.ts';
import type { OrderContext, OrderInput, OrderSpec, SubmitOutcome } from '../../../src/machines/orders/orderTypes.ts';
import { createLimitChaseMachine } from '../../../src/machines/orders/algorithms/limitChaseMachine.ts';
import { twapMachine } from '../../../src/machines/orders/algorithms/twapMachine.ts';
import type { Touch } from '../../../src/machines/orders/algorithms/quotes.ts';

export const spec: OrderSpec = {
  clientOrderId: 'c-1',
  account: 'DU1',
  symbol: 'ES',
  side: 'BUY',
  quantity: 4,
  orderType: 'LMT',
  limitPrice: 5_000,
  timeInForce: 'DAY',
};

export interface OrderWorld {
  checksPass?: boolean;
  /** The gate opens at once unless told to hold. */
  held?: boolean;
  /** What the algorithms read as the inside market (mutable: tests move it). */
  touch?: Touch | null;
  /** The whatIf verdict (when the order asks for the check). */
  margin?: { ok: boolean; reason?: string };
  /** Send attempts the store already holds for this order (the real store's rule applies to them). */
  storedAttempts?: number;
}

/**
 * The order machine with stand-ins for its I/O actors that answer as the real ones do
 * (the real ones are exercised against the simulator); events from the broker are sent by tests.
 */
export function startOrder(world: OrderWorld = {}, input: Partial<OrderInput> = {}) {
  const clock = new SimulatedClock();
  /** `submit` counts orders that went; `refused` the attempts the store turned down. */
  const calls = { submit: 0, refused: 0, cancel: 0, lookup: 0, modify: 0, marginCheck: 0 };
  let storedAttempt = world.storedAttempts ?? input.restored?.sendAttempt ?? 0;
  let nextIbOrderId = 100;
  const issued: { index: number; quantity: number }[] = [];
  const cancelledSlices: string[] = [];
  /** Every state the order wrote durably, in order: the transitions recovery would see. */
  const persisted: string[] = [];
  const machine = createOrderMachine({
    // The store's rule (recordSendAttempt-order-fence.lua): a new attempt only when none may be live.
    submit: fromPromise<SubmitOutcome, OrderContext>(async ({ input: context }) => {
      if (storedAttempt > 0 && context.absentAttempt !== storedAttempt) {
        calls.refused += 1;
        return { sent: false, attempt: storedAttempt };
      }
      storedAttempt += 1;
      calls.submit += 1;
      return { sent: true, ibOrderId: nextIbOrderId++, attempt: storedAttempt };
    }),
    cancel: fromPromise(async () => {
      calls.cancel += 1;
    }),
    lookup: fromPromise(async () => {
      calls.lookup += 1;
    }),
    modify: fromPromise(async () => {
      calls.modify += 1;
    }),
    chase: createLimitChaseMachine({ readTouch: fromPromise(async () => world.touch ?? null) }),
    twap: twapMachine,
    marginCheck: fromPromise(async () => {
      calls.marginCheck += 1;
      return world.margin ?? { ok: true };
    }),
  }, {
    canSendOrders: () => !world.held,
    checkOrder: () => (world.checksPass === false ? ['position limit'] : null),
    checkModify: () => [],
    modifyRefused: () => {},
    persist: (_context, state) => {
      if (persisted.at(-1) !== state) persisted.push(state);
    },
    issueSlice: (_parent, index, quantity) => {
      issued.push({ index, quantity });
    },
    cancelSlices: (_parent, slices) => {
      cancelledSlices.push(...slices);
    },
  });
  const actor = createActor(machine, {
    clock,
    input: { order: spec, timing: { ackTimeoutMs: 1_000, cancelTimeoutMs: 500 }, ...input },
  });
  const states: string[] = [];
  actor.subscribe((s) => {
    const v = String(s.value);
    if (states.at(-1) !== v) states.push(v);
  });
  actor.start();
  return {
    actor: actor as typeof actor & AnyActorRef,
    clock,
    calls,
    issued,
    cancelledSlices,
    persisted,
    states,
    openGate: () => {
      world.held = false;
      actor.send({ type: 'connection.ready' });
    },
    /** Lets promise actors (checks, submit) settle. */
    settle: () => new Promise<void>((resolve) => setTimeout(resolve, 0)),
  };
}
