import { z } from 'zod';
import type { ActorNode } from '../runtimeView.ts';

/** One node of the supervision tree as `/actors` shows it (supervision's ActorNode); its own component, as it holds itself. */
export const actorNodeSchema: z.ZodType<ActorNode> = z
  .object({
    systemId: z.string(),
    kind: z.string().describe("'supervisor', or the child spec's kind (e.g. 'machine', 'ib-connection')"),
    state: z.unknown().describe("The actor's current state value (a machine's `snapshot.value`), or null"),
    status: z.enum(['starting', 'running', 'restarting', 'stopping', 'stopped', 'failed', 'done']),
    restarts: z.number().int().nonnegative(),
    startedAt: z.iso.datetime().nullable().describe('When the current incarnation started; null when not running'),
    details: z.record(z.string(), z.unknown()).optional().describe("The actor's own summary, when its child spec gives one (e.g. an IB connection's gateway)"),
    get children() {
      return z.array(actorNodeSchema);
    },
  })
  .meta({ id: 'ActorNode' });
