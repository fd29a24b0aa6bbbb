import type { IbSession } from '../../ib/session/ibSession.ts';

/**
 * The broker's nextValidId now, asked with reqIds; the last one seen when the connection is down
 * or does not answer in time (the next handshake raises the floor again anyway).
 */
export function askNextValidId(session: IbSession, timeoutMs: number): Promise<number> {
  const allocator = session.orderIds;
  if (!session.online) return Promise.resolve(allocator.brokerFloor);
  return new Promise((resolve) => {
    const finish = (orderId: number) => {
      clearTimeout(timer);
      off();
      resolve(Math.max(orderId, allocator.brokerFloor));
    };
    const off = allocator.onNextValidId(finish);
    const timer = setTimeout(() => finish(allocator.brokerFloor), timeoutMs);
    session.enqueue('cancel', (api) => api.reqIds(1));
  });
}
