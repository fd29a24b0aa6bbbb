import type { FastifyInstance } from 'fastify';
import type { ZodTypeProvider } from 'fastify-type-provider-zod';
import { z } from 'zod';
import { isValidQueueName } from '../../queues/index.ts';
import type { RuntimeView } from '../runtimeView.ts';
import { apiError } from '../apiError.ts';
import { deadLetterListSchema, deadLetterOverviewSchema } from '../schemas/deadLetterViews.ts';
import { pageLimit } from '../schemas/pageLimit.ts';
import { answer, errorResponses } from '../schemas/routeResponses.ts';
import { routeDocs } from '../schemas/routeDocs.ts';

const params = z.object({ queue: z.string().describe('The source queue, e.g. `orders` (not `orders:dead`)') });
const query = z.strictObject({ limit: pageLimit(500, 100) });

const UNAVAILABLE = { dead_letters_unavailable: 'this process has no Redis for operator actions' };

/**
 * `GET /dlq` (every queue that keeps dead letters: its jobs by state and its dead letters) and
 * `GET /dlq/:queue` (one queue's dead letters, newest first): what an operator reads before a
 * replay or purge. From Redis, so any node answers.
 */
export function registerDeadLetterListRoutes(app: FastifyInstance, view: RuntimeView): void {
  const routes = app.withTypeProvider<ZodTypeProvider>();
  routes.get(
    '/dlq',
    {
      schema: {
        ...routeDocs({ tag: 'dead letters', summary: 'Queues and their dead letters', description: 'Each queue that keeps dead letters (`<queue>:dead`): its jobs by state, and how many dead letters it holds.', access: 'read' }),
        response: {
          200: answer('Every queue that keeps dead letters', deadLetterOverviewSchema),
          ...errorResponses({ access: 'read', redis: true, codes: { 503: UNAVAILABLE } }),
        },
      },
    },
    async (_request, reply) => {
      if (!view.deadLetterOverview) return reply.code(503).send(apiError('dead_letters_unavailable', 'this process cannot read dead letters (no Redis for operator actions)'));
      return { queues: await view.deadLetterOverview() };
    },
  );

  routes.get(
    '/dlq/:queue',
    {
      schema: {
        ...routeDocs({
          tag: 'dead letters',
          summary: 'The dead letters of a queue',
          description: 'Newest first, each with why it died, its attempts, whether (and when) it was replayed and its payload: `tradewire dlq list`.',
          access: 'read',
        }),
        params,
        querystring: query,
        response: {
          200: answer('The dead letters', deadLetterListSchema),
          ...errorResponses({
            access: 'read',
            redis: true,
            codes: {
              400: { invalid_queue: 'the path names no queue (e.g. `orders:dead` rather than `orders`)', invalid_query: '`limit` is not a whole number from 1 to 500' },
              404: { unknown_queue: 'no dead letters are kept for the queue (the message lists those that are)' },
              503: UNAVAILABLE,
            },
          }),
        },
      },
    },
    async (request, reply) => {
      const { queue } = request.params;
      if (!isValidQueueName(queue)) return reply.code(400).send(apiError('invalid_queue', `queue: ${JSON.stringify(queue)} is not a queue name; give the source queue, e.g. orders (not orders:dead)`));
      const known = view.deadLetterQueues?.() ?? [];
      if (!known.includes(queue)) return reply.code(404).send(apiError('unknown_queue', `queue: no dead letters are kept for ${JSON.stringify(queue)}; known: ${known.join(', ') || 'none in this process'}`));
      if (!view.deadLetterList) return reply.code(503).send(apiError('dead_letters_unavailable', 'this process cannot read dead letters (no Redis for operator actions)'));
      return { queue, deadLetters: await view.deadLetterList(queue, request.query.limit) };
    },
  );
}
