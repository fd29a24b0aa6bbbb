import { z } from 'zod';

const count = z.number().int().nonnegative();

export const queueOverviewSchema = z.object({
  name: z.string().describe('The source queue (`orders`); its dead letters are `<name>:dead`'),
  counts: z.object({ waiting: count, active: count, delayed: count, prioritized: count, completed: count, failed: count }),
  dead: count.describe('Dead letters kept'),
});

export const deadLetterOverviewSchema = z
  .object({ queues: z.array(queueOverviewSchema) })
  .meta({ id: 'QueueOverview', description: 'Every queue that keeps dead letters: its jobs by state and its dead letters' });

export const deadLetterRowSchema = z.object({
  id: z.string().describe('`<queue>:dead:<jobId>`: what replay takes'),
  jobId: z.string().describe('The job id in the source queue'),
  kind: z.enum(['attempts_exhausted', 'unrecoverable', 'corrupt']),
  reason: z.string(),
  deadLetteredAt: z.iso.datetime({ offset: true }),
  attempts: count.describe('Attempts made before it was dead-lettered'),
  replayedAt: z.iso.datetime({ offset: true }).nullable(),
  replayable: z.boolean().describe('False when the payload is kept only as raw text'),
  data: z.unknown().describe('The job’s payload (null when kept only as raw text)'),
});

export const deadLetterListSchema = z
  .object({ queue: z.string(), deadLetters: z.array(deadLetterRowSchema).describe('Newest first') })
  .meta({ id: 'DeadLetters', description: 'The dead letters of one queue, newest first' });

export type QueueOverview = z.output<typeof queueOverviewSchema>;
export type DeadLetterRow = z.output<typeof deadLetterRowSchema>;
