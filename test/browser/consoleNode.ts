import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { Redis } from 'ioredis';
import { createSilentLogger } from '../../src/log/logger.ts';
import { namespaceKeys } from '../../src/redis/namespaceKeys.ts';
import { startMainProcess, type CapabilityName, type MainProcess } from '../../src/runtime/mainProcess.ts';
import { deleteByPrefix } from '../support/redisKeys.ts';
import { REDIS_URL } from '../support/redisUrl.ts';
import { testNodeConfig } from '../support/testNodeConfig.ts';

export const OPERATOR_TOKEN = 'console-operator-token';
export const READ_TOKEN = 'console-read-token';

export interface ConsoleNode {
  main: MainProcess;
  url: string;
  namespace: string;
  redis: Redis;
  /** A request with the operator's bearer token (what a script would send; the browser uses the cookie). */
  api(method: 'GET' | 'POST', route: string, body?: unknown): Promise<Response>;
  close(): Promise<void>;
}

/**
 * A runtime in-process, as `tradewire start` runs it (sim broker), in a namespace of its own on the
 * shared Redis (deleted afterwards), with report folders of its own: what the console is driven against.
 */
export async function startConsoleNode(name: string, options: { host?: string; demoIntervalMs?: number; capabilities?: readonly CapabilityName[] } = {}): Promise<ConsoleNode> {
  const namespace = `test-console-${name}-${process.pid}`;
  const dir = mkdtempSync(path.join(tmpdir(), `tw-${namespace}-`));
  const config = testNodeConfig({
    namespace,
    reportDir: dir,
    admin: { token: OPERATOR_TOKEN, readToken: READ_TOKEN, ...(options.host ? { host: options.host } : {}) },
    overrides: {
      orders: { demo: { enabled: options.demoIntervalMs !== undefined, intervalMs: options.demoIntervalMs ?? 5_000 } },
      // POST /testing/orders/{id}/crash: an order actor restarted on demand, for the supervision feed.
      testing: { faultHooks: true },
    },
  });
  const main = await startMainProcess(config, createSilentLogger(), options.capabilities ? { capabilities: options.capabilities } : {});
  await main.whenActive();
  const url = main.admin.url.replace('0.0.0.0', '127.0.0.1');
  const redis = new Redis(REDIS_URL);
  return {
    main,
    url,
    namespace,
    redis,
    api: (method, route, body) =>
      fetch(`${url}${route}`, {
        method,
        headers: { authorization: `Bearer ${OPERATOR_TOKEN}`, ...(body === undefined ? {} : { 'content-type': 'application/json' }) },
        ...(body === undefined ? {} : { body: JSON.stringify(body) }),
      }),
    async close() {
      await main.stop();
      await deleteByPrefix(redis, `${namespace}:`);
      redis.disconnect();
      rmSync(dir, { recursive: true, force: true });
    },
  };
}

export const keysOf = (node: ConsoleNode) => namespaceKeys(node.namespace);
