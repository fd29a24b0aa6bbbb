import { z } from 'zod';
import type { Config } from '../../config/index.ts';
import type { ChildSpec } from '../../supervision/childSpec.ts';
import { createIbConnection } from '../../actors/ib/ibConnection.ts';
import { accountKind } from '../../ib/accountKind.ts';
import type { Gateway, IbConnectionContext, IbConnectionInput } from '../../machines/ib/ibConnectionTypes.ts';
import type { Redis } from 'ioredis';
import type { Logger } from '../../log/logger.ts';
import type { IbSession } from '../../ib/session/ibSession.ts';
import type { NamespaceKeys } from '../../redis/namespaceKeys.ts';

export const IB_CONNECTION_ID = 'ib';

/** What may be injected into the IB connection: manual reconnect and failover. */
export const ibConnectionEventSchema = z.discriminatedUnion('type', [
  z.object({ type: z.literal('RECONNECT') }),
  z.object({ type: z.literal('FAILOVER') }),
  z.object({ type: z.literal('tradewire.shutdown') }),
]);

/** systemId of pool member `index`: `ib`, then `ib-2`, `ib-3`, ... */
export const ibConnectionId = (index: number) => (index === 0 ? IB_CONNECTION_ID : `${IB_CONNECTION_ID}-${index + 1}`);

export function ibConnectionInput(config: Config, index = 0): IbConnectionInput {
  const { ib, sim, connection } = config.broker;
  const gateways: Gateway[] =
    config.broker.mode === 'sim' ? [{ host: sim.host, port: sim.port }] : [{ host: ib.host, port: ib.port }, ...ib.backupGateways];
  const { backoff, pacing: _pacing, requestTimeoutMs: _timeout, ...timing } = connection;
  // Each pool member needs client ids of its own: IB allows one session per client id.
  const clientIds = [ib.clientId, ...ib.extraClientIds].map((id) => id + index);
  return { gateways, clientIds, timing, backoff, seed: (Date.now() + index) & 0xffff };
}

/** The `/actors` summary: where it is connected, as whom, and what it has been through. */
export function describeIbConnection(session: { queued: number; currentRate: number }) {
  return (snapshot: { value: unknown; context: IbConnectionContext }) => {
    const { context } = snapshot;
    const gateway = context.gateways[context.gatewayIndex];
    const value = snapshot.value as { connected?: { health?: string } } | string;
    return {
      health: typeof value === 'object' && value.connected ? value.connected.health : null,
      gateway: gateway ? `${gateway.host}:${gateway.port}` : null,
      clientId: context.clientIds[context.clientIdIndex],
      accounts: context.accounts,
      account: accountKind(context.accounts),
      nextValidId: context.nextValidId,
      brokenFarms: context.brokenFarms,
      lastError: context.lastError,
      outboundQueued: session.queued,
      outboundRatePerSecond: session.currentRate,
      counters: context.counters,
    };
  };
}

export interface IbConnectionChildDeps {
  redis: Redis;
  logger: Logger;
  keys: NamespaceKeys;
}

/** Pool member `index` as a child spec, with the session its actor drives (the data plane orders and requests go through). */
export function ibConnectionChild(config: Config, deps: IbConnectionChildDeps, index = 0): { spec: ChildSpec; session: IbSession } {
  const { pacing, requestTimeoutMs } = config.broker.connection;
  const systemId = ibConnectionId(index);
  const input = ibConnectionInput(config, index);
  const { machine, session } = createIbConnection({
    systemId,
    input,
    redis: deps.redis,
    logger: deps.logger,
    pacing: { ratePerSecond: pacing.ratePerSecond, burst: pacing.burst, paced: pacing.enabled },
    requestTimeoutMs,
    orderIdKey: deps.keys.ibOrderIdHighWater(systemId),
  });
  return {
    session,
    spec: {
      id: systemId,
      kind: 'ib-connection',
      logic: machine,
      input,
      shutdown: 2_000,
      eventSchema: ibConnectionEventSchema,
      details: describeIbConnection(session),
    },
  };
}
