import { z } from 'zod';

export const haltStateSchema = z
  .object({
    halted: z.boolean(),
    causes: z.array(
      z.object({
        cause: z.string().describe('`operator`, `redis_state_lost`, …'),
        reason: z.string(),
        who: z.string().describe('The operator as they named themselves, or `tradewire` for the runtime itself'),
        since: z.iso.datetime({ offset: true }).describe('When this node applied the cause'),
      }),
    ),
  })
  .meta({ id: 'HaltState', description: 'Whether order intake is halted, and by what' });

export type HaltStateView = z.output<typeof haltStateSchema>;
