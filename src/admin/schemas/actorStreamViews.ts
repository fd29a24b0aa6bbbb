import { z } from 'zod';

/** One entry of the supervision feed: what a supervisor did to one of its children (or itself, for an escalation). */
export const supervisionEventSchema = z
  .object({
    kind: z.enum(['restart', 'escalation', 'stopped', 'started']),
    systemId: z.string().describe('The child (the supervisor itself for an escalation)'),
    at: z.iso.datetime({ offset: true }),
    detail: z.string().optional().describe('Its supervisor, and why it stopped'),
  })
  .meta({ id: 'SupervisionEvent' });

export type SupervisionEvent = z.output<typeof supervisionEventSchema>;
