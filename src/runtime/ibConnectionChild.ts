import { z } from 'zod';
import type { Config } from '../config';
import type { ChildSpec } from '../supervision/childSpec';
import { createIbConnection } from '../ib/ibConnection';
import type { Gateway, IbConnectionContext, IbConnectionInput } from '../machines/ibConnection/ibConnectionTypes';
import type { RuntimeResources } from './runtimeResources';

export const IB_CONNECTION_ID = 'ib';

/** What may be injected into the IB connection: manual reconnect and failover. */
export const ibConnectionEventSchema = z.discriminatedUnion('type', [
  z.object({ type: z.literal('RECONNECT') }),
  z.object({ type: z.literal('FAILOVER') }),
  z.object({ type: z.literal('tradewire.shutdown') }),
]);

export function ibConnectionInput(config: Config): IbConnectionInput {
  const { ib, sim, connection } = config.broker;
  const gateways: Gateway[] =
    config.broker.mode === 'sim' ? [{ host: sim.host, port: sim.port }] : [{ host: ib.host, port: ib.port }, ...ib.backupGateways];
  const { backoff, pacing: _pacing, requestTimeoutMs: _timeout, ...timing } = connection;
  return { gateways, clientIds: [ib.clientId, ...ib.extraClientIds], timing, backoff, seed: Date.now() & 0xffff };
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
      nextValidId: context.nextValidId,
      brokenFarms: context.brokenFarms,
      lastError: context.lastError,
      outboundQueued: session.queued,
      outboundRatePerSecond: session.currentRate,
      counters: context.counters,
    };
  };
}

export function ibConnectionChild(config: Config, resources: RuntimeResources): ChildSpec {
  const { pacing, requestTimeoutMs } = config.broker.connection;
  const input = ibConnectionInput(config);
  const { machine, session } = createIbConnection({
    systemId: IB_CONNECTION_ID,
    input,
    redis: resources.redis,
    logger: resources.logger,
    pacing: { ratePerSecond: pacing.ratePerSecond, burst: pacing.burst, paced: pacing.enabled },
    requestTimeoutMs,
  });
  resources.ibSessions.set(IB_CONNECTION_ID, session);
  return {
    id: IB_CONNECTION_ID,
    kind: 'ib-connection',
    logic: machine,
    input,
    shutdown: 2_000,
    eventSchema: ibConnectionEventSchema,
    details: describeIbConnection(session),
  };
}
