import { describe, expect, it } from 'vitest';
import { OrderFeed, type BrokerOrderUpdate } from '../../src/ib/session/orderFeed.ts';
import { OrderRouter } from '../../src/orders/orderRouter.ts';
import { createMemoryLogger } from '../admin/memoryLogger.ts';

const execution = (execId: string, orderRef: string): BrokerOrderUpdate => ({ kind: 'execution', orderId: 7, orderRef, execId, shares: 1, price: 5000, account: 'DU1', time: undefined });

describe('order router: executions of finished orders', () => {
  it('an execution reported again after its order finished is expected (no error); a new one for a finished order is an error', () => {
    const feed = new OrderFeed();
    const delivered: string[] = [];
    const logs = createMemoryLogger();
    const router = new OrderRouter(feed, (owner, event) => delivered.push(`${owner}:${event.type}`), logs.logger);
    feed.publish(execution('e1', 'a'));
    router.retire('a');
    feed.publish(execution('e1', 'a'));
    feed.publish(execution('e1', 'a'));
    expect(delivered).toEqual(['a:broker.fill']);
    expect(logs.entries.filter((e) => e.message === 'fill for a finished order')).toEqual([]);
    feed.publish(execution('e2', 'a'));
    expect(logs.entries.filter((e) => e.message === 'fill for a finished order')).toMatchObject([{ level: 'error', orderId: 'a', execId: 'e2' }]);
  });
});
