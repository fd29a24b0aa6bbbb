import { Redis } from 'ioredis';
import { startPrivateRedis } from '../../support/privateRedis.ts';

export interface VolatileRedis {
  port: number;
  url: string;
  /** A connection of the test's own (closed by stop). */
  admin: Redis;
  /** `SHUTDOWN NOSAVE`, then a new empty server on the same port: Redis restarted without its data. */
  restartEmpty(): Promise<void>;
  stop(): Promise<void>;
}

/**
 * A redis-server of the test's own that keeps nothing (see startPrivateRedis), for wiping and
 * restarting; never the shared one. `extraArgs` go to redis-server as they are.
 */
export async function startVolatileRedis(extraArgs: string[] = []): Promise<VolatileRedis> {
  const server = await startPrivateRedis({ extraArgs });
  const admin = new Redis(server.url, { maxRetriesPerRequest: null, retryStrategy: () => 50 });
  admin.on('error', () => undefined);
  return {
    port: server.port,
    url: server.url,
    admin,
    async restartEmpty() {
      const killer = new Redis(server.url, { maxRetriesPerRequest: 0, retryStrategy: () => null });
      killer.on('error', () => undefined);
      await killer.call('SHUTDOWN', 'NOSAVE').catch(() => undefined);
      killer.disconnect();
      await server.stop();
      await server.start();
    },
    async stop() {
      admin.disconnect();
      await server.stop();
      server.remove();
    },
  };
}
