import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import type { OrderMessageRecord } from '../../src/sim/index.ts';
import { EventName, TestClient, futures, order } from './harness.ts';
import { startSimulator } from '../support/simulator.ts';

const CLIENT_IDS = [71, 72] as const;

type Command =
  | { op: 'place'; who: 0 | 1; orderId: number }
  | { op: 'cancel'; who: 0 | 1; orderId: number }
  | { op: 'reqAllOpenOrders'; who: 0 | 1 };

const who = fc.constantFrom(0 as const, 1 as const);
const orderId = fc.integer({ min: 1, max: 8 });
const commandArb: fc.Arbitrary<Command> = fc.oneof(
  { weight: 4, arbitrary: fc.record({ op: fc.constant('place' as const), who, orderId }) },
  { weight: 4, arbitrary: fc.record({ op: fc.constant('cancel' as const), who, orderId }) },
  { weight: 1, arbitrary: fc.record({ op: fc.constant('reqAllOpenOrders' as const), who }) },
);

/** IB's rules as a model: orders keyed by (client id, order id), new ids above the client's floor. */
class Model {
  readonly orders = new Map<string, 'working' | 'cancelled'>();
  readonly floor = new Map<number, number>();

  expect(clientId: number, command: Command): Pick<OrderMessageRecord, 'intent' | 'outcome' | 'errorCode'> | undefined {
    if (command.op === 'reqAllOpenOrders') {
      for (const [key, state] of this.orders) {
        const [owner, id] = key.split(':').map(Number) as [number, number];
        if (state === 'working' && owner !== clientId && id > (this.floor.get(clientId) ?? 0)) this.floor.set(clientId, id);
      }
      return undefined;
    }
    const key = `${clientId}:${command.orderId}`;
    const state = this.orders.get(key);
    if (command.op === 'cancel') {
      if (state === 'working') {
        this.orders.set(key, 'cancelled');
        return { outcome: 'accepted', errorCode: undefined, intent: undefined };
      }
      return { outcome: 'refused', errorCode: state === 'cancelled' ? 10148 : 10147, intent: undefined };
    }
    if (state === 'working') return { outcome: 'accepted', errorCode: undefined, intent: 'modify' };
    if (state !== undefined || command.orderId <= (this.floor.get(clientId) ?? 0)) return { outcome: 'refused', errorCode: 103, intent: 'new' };
    this.orders.set(key, 'working');
    this.floor.set(clientId, command.orderId);
    return { outcome: 'accepted', errorCode: undefined, intent: 'new' };
  }
}

describe('client-id rules under any interleaving of two clients (real TCP, model-based)', () => {
  it('only the owner can cancel or modify; other ids are refused or are new orders of the sender, as IB does', async () => {
    await fc.assert(
      fc.asyncProperty(fc.array(commandArb, { minLength: 1, maxLength: 14 }), async (commands) => {
        const { sim, port } = await startSimulator({ pacing: { enabled: false } });
        const clients = CLIENT_IDS.map(() => new TestClient(port));
        try {
          await Promise.all(clients.map((c, i) => c.connect(CLIENT_IDS[i] as number)));
          const model = new Model();
          const low = sim.price('ZC') - 10;
          for (const command of commands) {
            const clientId = CLIENT_IDS[command.who];
            const c = clients[command.who] as TestClient;
            const expected = model.expect(clientId, command);
            if (command.op === 'reqAllOpenOrders') {
              const end = c.next(EventName.openOrderEnd);
              c.ib.reqAllOpenOrders();
              await end;
              continue;
            }
            const before = sim.ledger.messages().length;
            if (command.op === 'place') {
              c.ib.placeOrder(command.orderId, futures('ZC'), order('BUY', 1, 'LMT', { lmtPrice: low, orderRef: `${clientId}/${command.orderId}`, tif: 'GTC' }));
            } else {
              c.ib.cancelOrder(command.orderId);
            }
            for (let spins = 0; sim.ledger.messages().length === before; spins += 1) {
              if (spins > 2_000) throw new Error('the simulator never recorded the message');
              await new Promise((resolve) => setTimeout(resolve, 1));
            }
            const record = sim.ledger.messages().at(-1) as OrderMessageRecord;
            expect({ clientId: record.clientId, orderId: record.orderId, intent: record.intent, outcome: record.outcome, errorCode: record.errorCode }).toEqual({
              clientId,
              orderId: command.orderId,
              ...expected,
            });
          }

          // The book agrees with the model, and every cancelled order was cancelled by its owner's client id.
          const book = new Map(sim.orders().map((o) => [`${o.clientId}:${o.orderId}`, o.status === 'Cancelled' ? 'cancelled' : 'working']));
          expect(book).toEqual(model.orders);
          const accepted = sim.ledger.messages({ type: 'cancelOrder', outcome: 'accepted' });
          for (const o of sim.orders().filter((x) => x.status === 'Cancelled')) {
            expect(accepted.filter((m) => m.permId === o.permId).map((m) => m.clientId)).toEqual([o.clientId]);
          }
          for (const m of accepted) expect(sim.orders().find((o) => o.permId === m.permId)?.clientId).toBe(m.clientId);
          for (const c of clients) {
            // Refusals reach their senders as errors; nothing else may have gone wrong.
            expect(c.unexpectedErrors().filter((e) => ![103, 202, 10147, 10148].includes(e.code))).toEqual([]);
          }
        } finally {
          for (const c of clients) c.disconnect();
          await sim.close();
        }
      }),
      { numRuns: 40 },
    );
  });
});
