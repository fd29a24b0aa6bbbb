import type { Config } from '../config/index.ts';
import type { ChildSpec, SupervisorOptions } from '../supervision/childSpec.ts';
import { supervisor } from '../supervision/supervisorLogic.ts';
import { createRedisLinkMachine, redisLinkEventSchema } from '../machines/redisLink/redisLinkMachine.ts';
import { redisLinkActor } from '../actors/redisLink.ts';
import { redactUrlPassword } from '../config/describeConfigForLog.ts';
import type { RuntimeResources } from './runtimeResources.ts';

/** Extra subtrees contributed by other capabilities (broker, orders, ...), in start order. */
export type SubtreeFactory = (config: Config, resources: RuntimeResources) => ChildSpec | null;

/**
 * The main job's tree. Infrastructure starts first and stops last, so everything that
 * depends on Redis or the broker is gone before they are.
 */
export function mainTree(config: Config, resources: RuntimeResources, subtrees: SubtreeFactory[] = []): SupervisorOptions {
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
      ...subtrees.map((factory) => factory(config, resources)).filter((spec): spec is ChildSpec => spec !== null),
    ],
  };
}
