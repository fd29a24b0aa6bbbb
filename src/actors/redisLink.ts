import { Redis } from 'ioredis';
import { containedCallback } from './containedCallback.ts';
import type { RedisLinkCommand, RedisLinkEvent } from '../machines/redisLink/redisLinkMachine.ts';

export interface RedisLinkInput {
  url: string;
}

/** Owns one ioredis connection and reports its health as events; ioredis does the reconnecting. */
export function redisLinkActor(url: string) {
  return containedCallback<RedisLinkCommand, unknown, RedisLinkEvent>(({ sendBack, receive }) => {
    const client = new Redis(url, {
      maxRetriesPerRequest: 1,
      enableOfflineQueue: false,
      retryStrategy: (attempt) => Math.min(2_000, 50 * 2 ** Math.min(attempt, 6)),
    });
    let closing = false;
    client.on('ready', () => sendBack({ type: 'redis.up' }));
    client.on('error', (error: Error) => sendBack({ type: 'redis.down', error: error.message }));
    client.on('end', () => {
      if (!closing) sendBack({ type: 'redis.down', error: 'connection ended' });
    });
    receive((command) => {
      if (command.type === 'ping') {
        const started = performance.now();
        client.ping().then(
          () => sendBack({ type: 'redis.pong', ms: performance.now() - started }),
          (error: Error) => sendBack({ type: 'redis.down', error: error.message }),
        );
      } else if (command.type === 'close') {
        closing = true;
        client.quit().then(
          () => sendBack({ type: 'redis.closed' }),
          () => sendBack({ type: 'redis.closed' }),
        );
      }
    });
    return () => {
      closing = true;
      client.disconnect();
    };
  });
}
