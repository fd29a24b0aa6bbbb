import { loadConfig, type Config } from '../../src/config/index.ts';
import { createLogger, createSilentLogger } from '../../src/log/logger.ts';
import { startMainProcess, type MainProcess } from '../../src/runtime/mainProcess.ts';
import type { Gateway } from '../../src/machines/ib/ibConnectionTypes.ts';
import { SIM_CLOCK_ENV } from '../support/simClock.ts';

export const LEASE_TEST_TOKEN = 'lease-test-operator-token';

/** A node of a namespace, on the test's Redis, trading through a standalone simulator (broker mode ib). */
export function leaseNodeConfig(redisUrl: string, gateway: Gateway, nodeId: string, extra: { namespace?: string; ttlMs?: number; renewMs?: number } = {}): Config {
  return loadConfig({
    env: SIM_CLOCK_ENV,
    overrides: {
      namespace: extra.namespace ?? 'ha',
      lease: { ttlMs: extra.ttlMs ?? 600, renewMs: extra.renewMs ?? 200, nodeId },
      redis: { url: redisUrl, allowVolatile: true, stateFile: false },
      admin: { port: 0, token: LEASE_TEST_TOKEN },
      broker: {
        mode: 'ib',
        ib: { host: gateway.host, port: gateway.port, clientId: 7, extraClientIds: [8, 9] },
        connection: { heartbeatIntervalMs: 200, heartbeatTimeoutMs: 300, backoff: { minMs: 20, maxMs: 200, jitter: 0 } },
      },
      orders: { demo: { enabled: false } },
    },
  });
}

export function startNode(config: Config, waitForActive: boolean): Promise<MainProcess> {
  return startMainProcess(config, process.env.DEBUG_NODES ? createLogger({ level: 'info' }) : createSilentLogger(), { waitForActive });
}

export const postJson = (base: string, path: string, body?: unknown) =>
  fetch(`${base}${path}`, {
    method: 'POST',
    headers: { authorization: `Bearer ${LEASE_TEST_TOKEN}`, ...(body === undefined ? {} : { 'content-type': 'application/json' }) },
    ...(body === undefined ? {} : { body: JSON.stringify(body) }),
  });
