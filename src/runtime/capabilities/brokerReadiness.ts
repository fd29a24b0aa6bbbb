import type { IbSession } from '../../ib/session/ibSession.ts';

/**
 * Readiness beyond the tree: an IB connection that is up as an actor but in backoff, or connected
 * to a gateway that is cut off from IB (1100), cannot take orders, so the process is not ready.
 */
export function brokerReadiness(sessions: ReadonlyMap<string, IbSession>): () => string[] {
  return () => {
    const reasons: string[] = [];
    for (const [systemId, session] of sessions) {
      if (!session.online) reasons.push(`IB connection ${systemId} is not connected (connecting or in backoff)`);
      else if (!session.canSendOrders) reasons.push(`IB connection ${systemId} is connected but cut off from IB (1100 or 2110): orders wait`);
    }
    return reasons;
  };
}
