import type { FastifyInstance, FastifyReply, FastifyRequest } from 'fastify';
import { z } from 'zod';
import { DeadLetterIdError, DeadLetterNotFoundError, DeadLetterNotReplayableError, InvalidDurationError, isValidQueueName, parseDuration } from '../../queues/index.ts';
import type { RuntimeView } from '../runtimeView.ts';
import { refusedOnStandby } from '../activeNodeGuard.ts';
import { apiError } from '../apiError.ts';
import { invalidBody } from '../bodyProblems.ts';
import { checkedByHandler } from '../requestValidation.ts';
import { answer, errorResponses, type ErrorCodes } from '../schemas/routeResponses.ts';
import { routeDocs } from '../schemas/routeDocs.ts';

const REPLAY_SHAPE = '{"id": "<queue>:dead:<jobId>"} or {"all": true}';
const PURGE_SHAPE = '{"olderThan": "30m" | "12h" | "7d"}';

const params = z.object({ queue: z.string().describe('The source queue, e.g. `orders` (not `orders:dead`)') });

/** One dead letter by id, or all of them: never both, never neither (an empty body must not replay a whole queue). */
const replayBody = z
  .strictObject({
    id: z
      .string({ error: 'must be a string' })
      .min(1, 'must not be empty')
      .max(512, 'must be at most 512 characters')
      .optional()
      .describe('The dead letter: `<queue>:dead:<jobId>` or the bare job id'),
    all: z.literal(true, { error: 'must be true (or left out)' }).optional().describe('Every dead letter of the queue not replayed yet'),
  })
  .superRefine((body, ctx) => {
    if (body.id !== undefined && body.all) ctx.addIssue({ code: 'custom', path: ['all'], message: 'give either id or all, not both' });
    if (body.id === undefined && !body.all) ctx.addIssue({ code: 'custom', path: ['id'], message: 'required unless "all" is true' });
  })
  .describe('Either `id` or `all`, never both');

/** The same durations as `tradewire dlq purge --older-than`. */
const purgeBody = z.strictObject({
  olderThan: z
    .string({ error: (issue) => (issue.input === undefined ? 'required, e.g. "7d"' : 'must be a string like "30m", "12h" or "7d"') })
    .transform((text, ctx) => {
      try {
        return parseDuration(text);
      } catch (error) {
        ctx.addIssue({ code: 'custom', message: error instanceof InvalidDurationError ? error.message : String(error) });
        return z.NEVER;
      }
    })
    .describe('A whole number and a unit (ms, s, m, h, d, w), e.g. `30m`, `12h`, `7d`'),
});

const replayOneSchema = z.object({
  id: z.string().describe('The dead letter, `<queue>:dead:<jobId>`'),
  status: z.enum(['replayed', 'already_replayed', 'in_progress', 'not_replayable']),
  jobId: z.string().optional().describe('The job id in the source queue (absent while another replay of it is in progress)'),
});

const replayedSchema = z.union([
  replayOneSchema.extend({ requestId: z.string() }).describe('One dead letter: `already_replayed` when an earlier replay submitted it (nothing submitted again)'),
  z
    .object({
      replayed: z.number().int().nonnegative(),
      alreadyReplayed: z.number().int().nonnegative(),
      inProgress: z.number().int().nonnegative(),
      notReplayable: z.number().int().nonnegative().describe('Dead letters whose payload is kept only as raw text'),
      results: z.array(replayOneSchema),
      requestId: z.string(),
    })
    .describe('`{"all": true}`: what happened to each dead letter'),
]);

const purgedSchema = z.object({
  purged: z.array(z.string()).describe('The ids of the dead letters deleted'),
  count: z.number().int().nonnegative(),
  queue: z.string(),
  requestId: z.string(),
});

/** What both routes answer about the queue in the path and the node. */
const QUEUE_ERRORS = {
  400: { invalid_queue: 'the path names no queue (e.g. `orders:dead` rather than `orders`)' },
  404: { unknown_queue: 'no dead letters are kept for the queue (the message lists those that are)' },
  503: { standby: 'this node is a standby: send it to the active node (the message names it)', dead_letters_unavailable: 'this process has no Redis for operator actions' },
} satisfies ErrorCodes;

type Params = { Params: { queue: string } };

/**
 * `POST /dlq/:queue/replay` and `POST /dlq/:queue/purge`: what `tradewire dlq replay|purge` do,
 * carried out by the runtime (its namespace's keys, the token, the audit trail) rather than by a
 * CLI writing Redis. A replay is once per dead letter: a second one submits nothing.
 */
export function registerDeadLetterRoutes(app: FastifyInstance, view: RuntimeView): void {
  /**
   * What both routes check before acting, in this order: the queue named in the path (an unknown
   * queue is a 404 whatever the body), the body (`shape` is what the message shows), then that this
   * node is the active one. Answers and returns null when a check fails.
   */
  const checkedAction = <Body extends z.ZodType>(request: FastifyRequest<Params>, reply: FastifyReply, body: Body, shape: string): { queue: string; body: z.output<Body> } | null => {
    const { queue } = request.params;
    if (!isValidQueueName(queue)) {
      void reply.code(400).send(apiError('invalid_queue', `queue: ${JSON.stringify(queue)} is not a queue name; give the source queue, e.g. orders (not orders:dead)`));
      return null;
    }
    const known = view.deadLetterQueues?.() ?? [];
    if (!known.includes(queue)) {
      void reply.code(404).send(apiError('unknown_queue', `queue: no dead letters are kept for ${JSON.stringify(queue)}; known: ${known.join(', ') || 'none in this process'}`));
      return null;
    }
    const parsed = body.safeParse(request.body ?? {});
    if (!parsed.success) {
      void reply.code(400).send(invalidBody(parsed.error.issues, shape));
      return null;
    }
    if (refusedOnStandby(view, reply)) return null;
    return { queue, body: parsed.data };
  };

  app.post<Params>(
    '/dlq/:queue/replay',
    {
      // checkedAction checks the queue before the body, and its message shows the shape expected.
      validatorCompiler: checkedByHandler,
      schema: {
        ...routeDocs({
          tag: 'dead letters',
          summary: 'Replay dead letters',
          description: 'Submits a dead letter’s job to its source queue again (`tradewire dlq replay`). Once per dead letter: a second replay submits nothing. Only the active node replays.',
          access: 'mutation',
        }),
        params,
        body: replayBody,
        response: {
          200: answer('What was replayed', replayedSchema),
          ...errorResponses({
            access: 'mutation',
            body: true,
            redis: true,
            codes: {
              ...QUEUE_ERRORS,
              400: { ...QUEUE_ERRORS[400], invalid_body: 'neither or both of `id` and `all`, or an id of another queue: `fields` names each problem' },
              404: { ...QUEUE_ERRORS[404], dead_letter_not_found: 'no dead letter with this id' },
              409: { replay_in_progress: 'another process is replaying this dead letter right now; nothing submitted', not_replayable: 'its payload is kept only as raw text' },
            },
          }),
        },
      },
    },
    async (request, reply) => {
      const checked = checkedAction(request, reply, replayBody, REPLAY_SHAPE);
      if (checked === null) return reply;
      const { queue, body } = checked;
      if (!view.replayDeadLetters) return reply.code(503).send(apiError('dead_letters_unavailable', 'this process cannot replay dead letters (no Redis for operator actions)'));
      try {
        const outcome = await view.replayDeadLetters(queue, body.id);
        if ('results' in outcome) return reply.code(200).send({ ...outcome, requestId: request.id });
        if (outcome.status === 'in_progress') {
          return reply.code(409).header('retry-after', '1').send(apiError('replay_in_progress', `${outcome.id} is being replayed by another process right now; nothing submitted`));
        }
        return reply.code(200).send({ ...outcome, requestId: request.id });
      } catch (error) {
        if (error instanceof DeadLetterNotFoundError) return reply.code(404).send(apiError('dead_letter_not_found', `id: ${error.message}`));
        if (error instanceof DeadLetterNotReplayableError) return reply.code(409).send(apiError('not_replayable', error.message));
        if (error instanceof DeadLetterIdError) return reply.code(400).send(apiError('invalid_body', `id: ${error.message} (body: ${REPLAY_SHAPE})`, [{ field: 'id', message: error.message }]));
        throw error;
      }
    },
  );

  app.post<Params>(
    '/dlq/:queue/purge',
    {
      validatorCompiler: checkedByHandler,
      schema: {
        ...routeDocs({
          tag: 'dead letters',
          summary: 'Purge old dead letters',
          description: 'Deletes the queue’s dead letters dead-lettered more than `olderThan` ago (`tradewire dlq purge --older-than`). Only the active node purges.',
          access: 'mutation',
        }),
        params,
        body: purgeBody,
        response: {
          200: answer('What was deleted', purgedSchema),
          ...errorResponses({
            access: 'mutation',
            body: true,
            redis: true,
            codes: { ...QUEUE_ERRORS, 400: { ...QUEUE_ERRORS[400], invalid_body: '`olderThan` is missing or not a duration: `fields` names it' } },
          }),
        },
      },
    },
    async (request, reply) => {
      const checked = checkedAction(request, reply, purgeBody, PURGE_SHAPE);
      if (checked === null) return reply;
      const { queue, body } = checked;
      if (!view.purgeDeadLetters) return reply.code(503).send(apiError('dead_letters_unavailable', 'this process cannot purge dead letters (no Redis for operator actions)'));
      const purged = await view.purgeDeadLetters(queue, body.olderThan);
      return reply.code(200).send({ purged, count: purged.length, queue, requestId: request.id });
    },
  );
}
