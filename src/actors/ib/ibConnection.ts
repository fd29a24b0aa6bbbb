import type { Redis } from 'ioredis';
import type { Logger } from '../../log/logger.ts';
import { createIbConnectionMachine } from '../../machines/ib/ibConnectionMachine.ts';
import type { IbConnectionInput } from '../../machines/ib/ibConnectionTypes.ts';
import { ibClientActor } from './ibClient.ts';
import { gatewayProbeActor } from './gatewayProbe.ts';
import { IbSession } from '../../ib/session/ibSession.ts';
import { OrderIdAllocator } from '../../ib/session/orderIdAllocator.ts';

export interface IbConnectionSetup {
  systemId: string;
  input: IbConnectionInput;
  redis: Redis;
  logger: Logger;
  pacing?: { ratePerSecond: number; burst: number; paced: boolean };
  requestTimeoutMs?: number;
  /** Redis key of the order-id high-water mark; one per IB account login (namespaceKeys().ibOrderIdHighWater). */
  orderIdKey: string;
}

/**
 * One IB connection: the lifecycle machine with its I/O actors, and the session other actors
 * use to send (orders, requests). The session outlives restarts of the machine, so queued
 * messages and the order-id floor survive them.
 */
export function createIbConnection(setup: IbConnectionSetup) {
  const pacing = setup.pacing ?? { ratePerSecond: 45, burst: 5, paced: true };
  const session = new IbSession({
    ...pacing,
    requestTimeoutMs: setup.requestTimeoutMs ?? 10_000,
    orderIds: new OrderIdAllocator(setup.redis, setup.orderIdKey),
  });
  const machine = createIbConnectionMachine({
    client: ibClientActor({ session, logger: setup.logger, systemId: setup.systemId }),
    probe: gatewayProbeActor(),
  });
  return { machine, session, input: setup.input };
}
