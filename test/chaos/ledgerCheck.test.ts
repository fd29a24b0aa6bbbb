import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import type { DoubleLive } from '../../chaos/_liveOrders.ts';
import { checkAgainstLedger, type LedgerCheck, type LedgerCheckInput, type RequestedOrder } from '../../chaos/_ledgerCheck.ts';
import { RuntimeRecords } from '../../chaos/_runtimeRecords.ts';
import type { Execution, SimOrder } from '../../src/sim/index.ts';

interface OrderPlan {
  quantity: number;
  /** Execution sizes at the broker (sum <= quantity). */
  executions: number[];
  twap: boolean;
}

/** A run in which the runtime booked exactly what the broker did: the check must find nothing. */
function consistentWorld(plans: OrderPlan[]): LedgerCheckInput & { records: RuntimeRecords; executions: Execution[]; brokerOrders: SimOrder[]; doubleLive: DoubleLive[] } {
  const requested = new Map<string, RequestedOrder>();
  const executions: Execution[] = [];
  const brokerOrders: SimOrder[] = [];
  const records = new RuntimeRecords();
  let execCounter = 0;
  let brokerId = 0;
  plans.forEach((plan, i) => {
    const id = `o.${i}`;
    const childIds = plan.twap ? plan.executions.map((_, n) => `${id}:t${n + 1}`) : [];
    requested.set(id, { clientOrderId: id, kind: plan.twap ? 'TWAP' : 'LMT', quantity: plan.quantity, childIds });
    const done = plan.executions.reduce((a, b) => a + b, 0);
    plan.executions.forEach((qty, n) => {
      const execId = `e.${++execCounter}`;
      const orderRef = plan.twap ? childIds[n]! : id;
      executions.push({ execId, orderRef, qty, price: 100, symbol: 'ES' } as Execution);
      records.notePublished(`job.${execId}`, 'fill', { clientOrderId: id, executions: [{ execId, quantity: qty }] });
    });
    const refs = plan.twap ? childIds : [id];
    for (const orderRef of refs) brokerOrders.push({ clientId: 1, orderId: ++brokerId, orderRef, status: done === plan.quantity ? 'Filled' : 'Cancelled' } as SimOrder);
    records.noteFinished(id, done === plan.quantity ? 'filled' : 'cancelled', done);
  });
  return { requested, executions, brokerOrders, doubleLive: [], records };
}

const planArb = fc
  .record({ quantity: fc.integer({ min: 1, max: 5 }), twap: fc.boolean(), split: fc.array(fc.integer({ min: 1, max: 3 }), { maxLength: 4 }) })
  .map(({ quantity, twap, split }): OrderPlan => {
    const executions: number[] = [];
    let left = quantity;
    for (const size of split) {
      if (left === 0) break;
      executions.push(Math.min(size, left));
      left -= executions.at(-1)!;
    }
    return { quantity, twap, executions };
  });

const totalOf = (check: LedgerCheck) => check.lost + check.duplicated + check.phantom + check.unexplained;

describe('checkAgainstLedger', () => {
  it('finds nothing when the runtime booked exactly what the broker did', () => {
    fc.assert(
      fc.property(fc.array(planArb, { minLength: 1, maxLength: 8 }), (plans) => {
        const check = checkAgainstLedger(consistentWorld(plans));
        expect(check.findings).toEqual([]);
        expect(totalOf(check)).toBe(0);
      }),
      { numRuns: 100 },
    );
  });

  it('counts an execution never published as lost', () => {
    const world = consistentWorld([{ quantity: 2, executions: [1, 1], twap: false }]);
    world.records.published.delete('e.2');
    const check = checkAgainstLedger(world);
    expect(check).toMatchObject({ lost: 1, duplicated: 0, phantom: 0, unexplained: 0 });
    expect(check.findings[0]).toContain('execution e.2 of o.0');
  });

  it('counts an order the runtime never recorded and the broker never saw as lost', () => {
    const world = consistentWorld([{ quantity: 1, executions: [], twap: false }]);
    world.records.latest.clear();
    world.brokerOrders.length = 0;
    expect(checkAgainstLedger(world)).toMatchObject({ lost: 1, unexplained: 0 });
  });

  it('counts one execution published under two jobs as duplicated', () => {
    const world = consistentWorld([{ quantity: 2, executions: [2], twap: false }]);
    world.records.notePublished('job.again', 'fill', { clientOrderId: 'o.0', executions: [{ execId: 'e.1', quantity: 2 }] });
    expect(checkAgainstLedger(world)).toMatchObject({ lost: 0, duplicated: 1, phantom: 0, unexplained: 0 });
  });

  it('counts two live broker orders under one slice id as a duplicate of its parent', () => {
    const world = consistentWorld([{ quantity: 2, executions: [1, 1], twap: true }]);
    world.doubleLive.push({ orderRef: 'o.0:t1', brokerOrders: ['1/1', '1/9'], at: 0 });
    const check = checkAgainstLedger(world);
    expect(check).toMatchObject({ duplicated: 1, lost: 0, phantom: 0, unexplained: 0 });
    expect(check.findings[0]).toContain('o.0: broker orders 1/1, 1/9');
  });

  it('counts more executed than requested as duplicated', () => {
    const world = consistentWorld([{ quantity: 1, executions: [1], twap: false }]);
    world.executions.push({ execId: 'e.extra', orderRef: 'o.0', qty: 1, price: 100, symbol: 'ES' } as Execution);
    world.records.notePublished('job.extra', 'fill', { clientOrderId: 'o.0', executions: [{ execId: 'e.extra', quantity: 1 }] });
    const check = checkAgainstLedger(world);
    expect(check.duplicated).toBe(1);
    expect(check.findings.some((f) => f.includes('executed 2 of 1 requested'))).toBe(true);
  });

  it('counts a fill the broker never made, or made for another order, as phantom', () => {
    const world = consistentWorld([
      { quantity: 1, executions: [1], twap: false },
      { quantity: 1, executions: [1], twap: false },
    ]);
    world.records.notePublished('job.forged', 'fill', { clientOrderId: 'o.0', executions: [{ execId: 'FORGED.1', quantity: 1 }] });
    world.records.notePublished('job.stolen', 'fill', { clientOrderId: 'o.0', executions: [{ execId: 'e.2', quantity: 1 }] });
    const check = checkAgainstLedger(world);
    expect(check.phantom).toBe(2);
    // The stolen one is also published twice (under its own order and the wrong one).
    expect(check.duplicated).toBe(1);
  });

  it('counts a final state the broker contradicts, and an order still working, as unexplained', () => {
    const world = consistentWorld([
      { quantity: 2, executions: [1], twap: false },
      { quantity: 1, executions: [], twap: false },
    ]);
    world.records.noteFinished('o.0', 'filled', 2);
    world.brokerOrders[1]!.status = 'Submitted';
    const check = checkAgainstLedger(world);
    expect(check.unexplained).toBe(2);
    expect(check.findings.join('\n')).toMatch(/o\.0 .*says filled, the broker executed 1 of 2/);
    expect(check.findings.join('\n')).toMatch(/o\.1 .*still working at the broker/);
  });

  it('counts an execution under an orderRef nobody requested as unexplained', () => {
    const world = consistentWorld([{ quantity: 1, executions: [1], twap: false }]);
    world.executions.push({ execId: 'e.odd', orderRef: 'someone-else', qty: 1, price: 100, symbol: 'ES' } as Execution);
    expect(checkAgainstLedger(world)).toMatchObject({ unexplained: 1, lost: 0 });
  });
});
