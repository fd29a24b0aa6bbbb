import { assign, enqueueActions, sendParent, setup, type AnyActorLogic } from 'xstate';
import { chaseTarget, crossPrice, worthRepricing, type Side } from './chasePrice.ts';
import type { Touch } from './quotes.ts';

export interface LimitChaseInput {
  symbol: string;
  side: Side;
  tickSize: number;
  /** The order's working limit when the chase starts. */
  limitPrice: number;
  repriceEveryMs: number;
  /** What is left of the chase's deadline (less after a restart). */
  deadlineInMs: number;
  atDeadline: 'cross' | 'cancel';
  /** How far past the far touch a crossing limit goes. */
  crossTicks: number;
}

interface LimitChaseContext extends LimitChaseInput {
  /** The limit the broker last confirmed: the chase only asks for a change from this. */
  workingLimit: number;
}

export type LimitChaseEvent =
  | { type: 'limit.confirmed'; limitPrice: number }
  /** The order refused the asked-for modify (pre-trade checks) or the broker did. */
  | { type: 'limit.refused' };

/**
 * Limit-chase as a child of the order actor: every `repriceEveryMs` it reads the touch and asks
 * its parent to move the limit to the touch on its own side (a MODIFY, same broker order id); at
 * the deadline it asks for a crossing limit or a cancel. It never talks to the broker itself, so
 * every change goes through the order's own modify path (audited, confirmed by the broker).
 * Reading the touch is injected (`readTouch`), so the same machine runs on live or replayed prices.
 */
export function createLimitChaseMachine(actors: { readTouch: AnyActorLogic }) {
  return setup({
    types: {
      context: {} as LimitChaseContext,
      input: {} as LimitChaseInput,
      events: {} as LimitChaseEvent,
    },
    actors,
    delays: {
      reprice: ({ context }) => context.repriceEveryMs,
      deadline: ({ context }) => Math.max(0, context.deadlineInMs),
    },
    guards: {
      crosses: ({ context }) => context.atDeadline === 'cross',
    },
  }).createMachine({
    id: 'limitChase',
    context: ({ input }) => ({ ...input, workingLimit: input.limitPrice }),
    on: {
      'limit.confirmed': { actions: assign({ workingLimit: ({ event }) => event.limitPrice }) },
    },
    initial: 'chasing',
    states: {
      chasing: {
        type: 'parallel',
        states: {
          pricing: {
            initial: 'resting',
            states: {
              resting: { after: { reprice: 'quoting' } },
              quoting: {
                invoke: {
                  src: 'readTouch',
                  input: ({ context }: { context: LimitChaseContext }) => context.symbol,
                  onDone: {
                    target: 'resting',
                    actions: enqueueActions(({ context, event, enqueue }) => {
                      const target = event.output ? chaseTarget(event.output as Touch, context.side, context.tickSize) : null;
                      // Only a change of at least a tick is worth a modify at the broker.
                      if (target !== null && worthRepricing(context.workingLimit, target, context.tickSize)) {
                        enqueue.sendParent({ type: 'MODIFY', limitPrice: target, reason: 'limit-chase reprice' });
                      }
                    }),
                  },
                  // No touch this round (no prices yet): try again next round.
                  onError: 'resting',
                },
              },
            },
          },
          deadline: { after: { deadline: '#limitChase.atDeadline' } },
        },
      },
      atDeadline: {
        always: [{ guard: 'crosses', target: 'crossing' }, { target: 'done', actions: sendParent({ type: 'CANCEL', reason: 'limit-chase deadline' }) }],
      },
      crossing: {
        invoke: {
          src: 'readTouch',
          input: ({ context }: { context: LimitChaseContext }) => context.symbol,
          onDone: [
            {
              // Without a price to cross at, cancelling is the only way to honour the deadline.
              guard: ({ context, event }) => !event.output || crossPrice(event.output as Touch, context.side, context.tickSize, context.crossTicks) === null,
              target: 'done',
              actions: sendParent({ type: 'CANCEL', reason: 'limit-chase deadline (no price to cross at)' }),
            },
            {
              target: 'awaitingCross',
              actions: sendParent(({ context, event }) => ({
                type: 'MODIFY',
                limitPrice: crossPrice(event.output as Touch, context.side, context.tickSize, context.crossTicks)!,
                reason: 'limit-chase deadline: crossing',
              })),
            },
          ],
          onError: { target: 'done', actions: sendParent({ type: 'CANCEL', reason: 'limit-chase deadline (no price to cross at)' }) },
        },
      },
      /** The deadline is honoured either way: a crossing limit that is refused becomes a cancel. */
      awaitingCross: {
        on: {
          'limit.confirmed': { target: 'done', actions: assign({ workingLimit: ({ event }) => event.limitPrice }) },
          'limit.refused': { target: 'done', actions: sendParent({ type: 'CANCEL', reason: 'limit-chase deadline (the crossing limit was refused)' }) },
        },
      },
      done: { type: 'final' },
    },
  });
}
