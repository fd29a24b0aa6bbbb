import { randomBytes } from 'node:crypto';
import { Queue, Worker } from 'bullmq';
import { Redis } from 'ioredis';
import { startAdminServer, type AdminServer } from '../../src/admin/index.ts';
import { loadConfig } from '../../src/config/index.ts';
import { namespaceKeys } from '../../src/redis/namespaceKeys.ts';
import { createSilentLogger } from '../../src/log/logger.ts';
import { BreakRegistry } from '../../src/orders/breakRegistry.ts';
import { attachDeadLettering, DeadLetterQueue } from '../../src/queues/index.ts';
import { Runtime } from '../../src/runtime/runtime.ts';
import type { AdminRequestRecord, RuntimeView } from '../../src/admin/runtimeView.ts';
import { finalOutcomes, processOutcome, type Outcome, type TestPayload } from '../queues/queueTestKit.ts';
import { deleteByPrefix } from '../support/redisKeys.ts';
import { REDIS_URL } from '../support/redisUrl.ts';
import { SIM_CLOCK_ENV } from '../support/simClock.ts';

export const OPERATOR_TOKEN = 'operator-token-0123456789';
export const READ_TOKEN = 'read-token-9876543210';

/**
 * A real Runtime (no children) under a namespace of its own, its operator actions on real Redis
 * (Runtime.useOperatorRedis), behind a real admin server; its audited requests are collected.
 * Dead letters and breaks are seeded under the namespace's keys, as the order service and the
 * queues' workers would leave them.
 */
export class OperatorWorld {
  readonly namespace = `test-op-${randomBytes(5).toString('hex')}`;
  readonly keys = namespaceKeys(this.namespace);
  readonly redis = new Redis(REDIS_URL, { maxRetriesPerRequest: null });
  readonly audited: AdminRequestRecord[] = [];
  readonly breaks = new BreakRegistry(this.redis, `${this.keys.ordersPrefix}:breaks`);
  readonly ordersQueue = new Queue<TestPayload>('orders', { connection: this.redis, prefix: this.keys.bullPrefix });
  runtime!: Runtime;
  admin!: AdminServer;

  static async start(options: { host?: string; token?: string | null; readToken?: string } = {}): Promise<OperatorWorld> {
    const world = new OperatorWorld();
    const config = loadConfig({ env: SIM_CLOCK_ENV, overrides: { namespace: world.namespace, redis: { url: REDIS_URL } } });
    world.runtime = await Runtime.start({ config, logger: createSilentLogger(), root: { children: [] } });
    world.runtime.useOperatorRedis(world.redis);
    (world.runtime as RuntimeView).auditAdminRequest = async (record) => void world.audited.push(record);
    const token = options.token === null ? undefined : (options.token ?? OPERATOR_TOKEN);
    world.admin = await startAdminServer({
      view: world.runtime,
      port: 0,
      logger: createSilentLogger(),
      ...(options.host ? { host: options.host } : {}),
      ...(token ? { token } : {}),
      ...(options.readToken ? { readToken: options.readToken } : {}),
    });
    return world;
  }

  /** The admin URL to call: loopback even when the server listens on a wildcard address. */
  get url(): string {
    return `http://127.0.0.1:${this.admin.port}`;
  }

  post(path: string, body: unknown, token: string | null = OPERATOR_TOKEN): Promise<Response> {
    return fetch(`${this.url}${path}`, {
      method: 'POST',
      headers: { 'content-type': 'application/json', ...(token ? { authorization: `Bearer ${token}` } : {}) },
      body: JSON.stringify(body),
    });
  }

  get(path: string, token: string | null = null): Promise<Response> {
    return fetch(`${this.url}${path}`, { headers: token ? { authorization: `Bearer ${token}` } : {} });
  }

  /**
   * Jobs of the namespace's `orders` queue that fail for good (`count` failing once, or one per
   * spec: job n+1 gets payload n+1), moved to `orders:dead`; resolves to their job ids.
   */
  async deadLetters(jobs: number | { outcome: Outcome; attempts: number }[]): Promise<string[]> {
    const specs = typeof jobs === 'number' ? Array.from({ length: jobs }, () => ({ outcome: 'failForever' as const, attempts: 1 })) : jobs;
    const count = specs.length;
    const worker = new Worker<TestPayload>('orders', processOutcome, { connection: this.redis.duplicate({ maxRetriesPerRequest: null }), prefix: this.keys.bullPrefix });
    worker.on('error', () => undefined);
    const dlq = this.deadLetterQueue();
    const lettering = attachDeadLettering(worker, dlq);
    const done = finalOutcomes(worker, count);
    const ids: string[] = [];
    for (const [index, spec] of specs.entries()) ids.push((await this.ordersQueue.add('order', { n: index + 1, outcome: spec.outcome }, { attempts: spec.attempts })).id!);
    await done;
    await lettering.idle();
    await worker.close();
    await dlq.close();
    return ids;
  }

  /** How many dead letters `orders:dead` holds now. */
  async deadCount(): Promise<number> {
    const dlq = this.deadLetterQueue();
    try {
      return await dlq.count();
    } finally {
      await dlq.close();
    }
  }

  deadLetterQueue(): DeadLetterQueue {
    return new DeadLetterQueue('orders', { connection: this.redis, prefix: this.keys.bullPrefix });
  }

  async stop(): Promise<void> {
    await this.admin?.close();
    await this.runtime?.stop();
    await this.ordersQueue.close();
    await deleteByPrefix(this.redis, `${this.namespace}:`);
    this.redis.disconnect();
  }
}
