import type { IbSession } from '../../ib/session/ibSession.ts';

/**
 * orderRefs the broker has (open orders, today's executions) that the order store does not know.
 * Asked on a first start against an empty store: if the broker knows orders this store never saw,
 * the store is not empty because it is new, but because it lost them.
 */
export async function orphanOrderRefs(session: IbSession, storeKnows: (orderRef: string) => Promise<boolean>): Promise<string[]> {
  const snapshot = await session.brokerSnapshot();
  const refs = new Set<string>();
  for (const { orderRef } of [...snapshot.openOrders, ...snapshot.executions]) {
    // whatIf orders are never placed; an empty orderRef is not one of ours.
    if (orderRef && !orderRef.endsWith('~whatif')) refs.add(orderRef);
  }
  const orphans: string[] = [];
  for (const ref of refs) if (!(await storeKnows(ref))) orphans.push(ref);
  return orphans;
}
