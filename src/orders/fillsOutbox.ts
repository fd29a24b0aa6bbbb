import type { Queue } from 'bullmq';
import { streamExecution, type FillStream } from './fillStream.ts';
import { newExecutions } from './newExecutions.ts';
import type { OrderStore, StoredOrder } from './orderStore.ts';

/** Where the outbox also appends: the fills stream, and the contract month of an order's expiry (the position book's). */
export interface OutboxStream {
  stream: FillStream;
  monthOf: (symbol: string, expiry: string | undefined) => string;
}

/** Deterministic: the same fill published twice (after a restart) is one job. BullMQ ids cannot hold ':'. */
export function fillJobId(clientOrderId: string, filledQuantity: number): string {
  return `fill.${Buffer.from(clientOrderId).toString('base64url')}.${filledQuantity}`;
}

/**
 * Fills stored but not on the `fills` queue (a crash between the two, or a queue that would not
 * take them) are published from the store; returns how many orders needed it. A publication
 * that landed but was not yet marked is found by its job id (the filled quantity it reached:
 * at most one publication per order is ever in flight), so nothing goes twice.
 */
export async function publishFillsOutbox(store: OrderStore, fills: Queue, outboxStream?: OutboxStream): Promise<number> {
  let published = 0;
  for (const clientOrderId of await store.outboxOrderIds()) {
    const stored = await store.load(clientOrderId);
    const booked = stored?.context?.fills ?? [];
    const filled = stored?.context?.filledQuantity ?? 0;
    // First the stream (exactly once per execId, so what reached it before the crash is skipped), then the queue.
    if (stored && outboxStream) await streamFromOutbox(clientOrderId, stored, outboxStream);
    if (!stored || stored.spec.parentId !== undefined || filled <= stored.publishedQuantity) {
      await store.markPublished(clientOrderId, filled);
      continue;
    }
    let from = stored.publishedQuantity;
    let cumulative = 0;
    for (const fill of booked) {
      cumulative += fill.quantity;
      if (cumulative > from && cumulative < filled && (await fills.getJob(fillJobId(clientOrderId, cumulative)))) from = cumulative;
    }
    const added = newExecutions(booked, from);
    const { spec } = stored;
    await fills.add(
      'fill',
      {
        clientOrderId,
        account: spec.account,
        symbol: spec.symbol,
        ...(spec.expiry ? { expiry: spec.expiry } : {}),
        executions: added.map((e) => ({ execId: e.fill.execId, quantity: e.quantity })),
        side: spec.side,
        quantity: filled - from,
        filledQuantity: filled,
        averagePrice: stored.context?.averagePrice ?? null,
        at: new Date().toISOString(),
        commission: added.reduce((n, e) => n + (e.fill.commission ?? 0), 0),
        commissionsPending: 0,
        republished: true,
      },
      { jobId: fillJobId(clientOrderId, filled) },
    );
    await store.markPublished(clientOrderId, filled);
    published += 1;
  }
  return published;
}

/** The executions the outbox holds for an order (a TWAP parent's are its slices', streamed with them). */
async function streamFromOutbox(clientOrderId: string, stored: StoredOrder, { stream, monthOf }: OutboxStream): Promise<void> {
  const { spec } = stored;
  if (spec.algorithm?.kind === 'twap') return;
  const order = {
    clientOrderId,
    ...(spec.parentId ? { parentClientOrderId: spec.parentId } : {}),
    account: spec.account,
    symbol: spec.symbol,
    contractMonth: monthOf(spec.symbol, spec.expiry),
    side: spec.side,
  };
  await stream.appendExecutions(newExecutions(stored.context?.fills ?? [], stored.publishedQuantity).map((e) => streamExecution(order, e)));
}
