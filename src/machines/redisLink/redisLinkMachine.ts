import { assign, sendTo, setup, type AnyActorLogic } from 'xstate';
import { z } from 'zod';
import { SHUTDOWN_EVENT } from '../../supervision/shutdownProtocol.ts';

export type RedisLinkEvent =
  | { type: 'redis.up' }
  | { type: 'redis.down'; error: string }
  | { type: 'redis.pong'; ms: number }
  | { type: 'redis.closed' }
  | { type: 'PING' }
  | { type: typeof SHUTDOWN_EVENT };

/** What may be injected from outside (admin API, CLI): a PING, to measure the round trip. */
export const redisLinkEventSchema = z.strictObject({ type: z.literal('PING') });

/** What the link actor is told by the machine. */
export type RedisLinkCommand = { type: 'ping' } | { type: 'close' };

export interface RedisLinkContext {
  /** The server, without credentials. */
  server: string;
  lastError: string | null;
  upSince: number | null;
  lastPingMs: number | null;
  drops: number;
}

/**
 * The runtime's view of its Redis connection. The socket lives in the injected `link`
 * actor; this machine only decides what state the connection is in.
 */
export function createRedisLinkMachine(link: AnyActorLogic) {
  return setup({
    types: {
      context: {} as RedisLinkContext,
      events: {} as RedisLinkEvent,
      input: {} as { server: string },
    },
    actors: { link },
  }).createMachine({
    id: 'redis-link',
    context: ({ input }) => ({ server: input.server, lastError: null, upSince: null, lastPingMs: null, drops: 0 }),
    invoke: { id: 'link', src: 'link' },
    initial: 'connecting',
    on: {
      'redis.pong': { actions: assign({ lastPingMs: ({ event }) => event.ms }) },
      [SHUTDOWN_EVENT]: '.closing',
    },
    states: {
      connecting: {
        on: {
          'redis.up': { target: 'up', actions: assign({ upSince: () => Date.now(), lastError: null }) },
          'redis.down': { actions: assign({ lastError: ({ event }) => event.error }) },
        },
      },
      up: {
        on: {
          'redis.down': {
            target: 'down',
            actions: assign({ lastError: ({ event }) => event.error, upSince: null, drops: ({ context }) => context.drops + 1 }),
          },
          PING: { actions: sendTo('link', { type: 'ping' } satisfies RedisLinkCommand) },
        },
      },
      down: {
        on: {
          'redis.up': { target: 'up', actions: assign({ upSince: () => Date.now() }) },
          'redis.down': { actions: assign({ lastError: ({ event }) => event.error }) },
        },
      },
      closing: {
        entry: sendTo('link', { type: 'close' } satisfies RedisLinkCommand),
        on: { 'redis.closed': 'closed', 'redis.down': 'closed' },
      },
      closed: { type: 'final' },
    },
  });
}
