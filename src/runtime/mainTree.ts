import type { Config } from '../config/index.ts';
import type { SupervisorOptions } from '../supervision/childSpec.ts';
import { supervisor } from '../supervision/supervisorLogic.ts';
import { createRedisLinkMachine, redisLinkEventSchema } from '../machines/redisLink/redisLinkMachine.ts';
import { redisLinkActor } from '../actors/redisLink.ts';
import { redactUrlPassword } from '../config/describeConfigForLog.ts';

/**
 * The main job's tree as it starts: infrastructure only. The lease child and, while this node holds
 * the lease, the `active` supervisor with the capabilities are added after it, so they stop first.
 */
export function mainTree(config: Config): SupervisorOptions {
  const { intensity, periodMs, backoff } = config.supervision;
  const policy = { intensity, periodMs, backoff };
  return {
    strategy: 'one_for_one',
    ...policy,
    children: [
      supervisor('infra', {
        strategy: 'one_for_one',
        ...policy,
        children: [
          {
            id: 'redis',
            kind: 'redis-link',
            logic: createRedisLinkMachine(redisLinkActor(config.redis.url)),
            input: { server: redactUrlPassword(config.redis.url) },
            eventSchema: redisLinkEventSchema,
            shutdown: 2_000,
          },
        ],
      }),
    ],
  };
}
