import { z } from 'zod';
import type { Config } from '../config/index.ts';
import type { ChildSpec } from '../supervision/childSpec.ts';
import { createIbConnection } from '../ib/ibConnection.ts';
import { accountKind } from '../ib/accountKind.ts';
import type { Gateway, IbConnectionContext, IbConnectionInput } from '../machines/ib/ibConnectionTypes.ts';
import type { RuntimeResources } from './runtimeResources.ts';
import { namespaceKeys } from '../redis/namespaceKeys.ts';
import { SHUTDOWN_EVENT } from '../supervision/shutdownProtocol.ts';

export const IB_CONNECTION_ID = 'ib';

/** What may be injected into the IB connection: manual reconnect and failover. */
export const ibConnectionEventSchema = z.discriminatedUnion('type', [
  z.object({ type: z.literal('RECONNECT') }),
  z.object({ type: z.literal('FAILOVER') }),
  z.object({ type: z.literal(SHUTDOWN_EVENT) }),
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

export function ibConnectionChild(config: Config, resources: RuntimeResources, index = 0): ChildSpec {
  const { pacing, requestTimeoutMs } = config.broker.connection;
  const systemId = ibConnectionId(index);
  const input = ibConnectionInput(config, index);
  const { machine, session } = createIbConnection({
    systemId,
    input,
    redis: resources.redis,
    logger: resources.logger,
    pacing: { ratePerSecond: pacing.ratePerSecond, burst: pacing.burst, paced: pacing.enabled },
    requestTimeoutMs,
    orderIdKey: namespaceKeys(config.namespace).ibOrderIdHighWater(systemId),
  });
  resources.ibSessions.set(systemId, session);
  return {
    id: systemId,
    kind: 'ib-connection',
    logic: machine,
    input,
    shutdown: 2_000,
    eventSchema: ibConnectionEventSchema,
    details: describeIbConnection(session),
  };
}
