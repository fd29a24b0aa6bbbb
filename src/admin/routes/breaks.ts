import type { FastifyInstance } from 'fastify';
import { z } from 'zod';
import type { Logger } from '../../log/logger.ts';
import type { RuntimeView } from '../runtimeView.ts';
import { refusedOnStandby } from '../activeNodeGuard.ts';
import { apiError } from '../apiError.ts';
import { invalidBody } from '../bodyProblems.ts';
import { checkedByHandler } from '../requestValidation.ts';
import { operatorNameSchema } from '../schemas/operatorName.ts';
import { answer, errorResponses } from '../schemas/routeResponses.ts';
import { routeDocs } from '../schemas/routeDocs.ts';

/** How instruments are named in the break registry (a futures symbol); anything else cannot have a break. */
const SYMBOL = /^[A-Za-z0-9._-]{1,32}$/;

const params = z.object({ symbol: z.string().regex(SYMBOL).describe('The instrument whose break is cleared, e.g. `ES`') });

/** Why the break may be cleared, and who says so: optional, for the log line next to the audit record. */
const clearBody = z.strictObject({
  reason: z
    .string({ error: 'must be a string' })
    .trim()
    .min(1, 'must not be empty')
    .max(2000, 'must be at most 2000 characters')
    .optional()
    .describe('Why it may be cleared: logged next to the audit record'),
  operator: operatorNameSchema.optional().describe('Who'),
});

const clearedSchema = z.object({ cleared: z.literal(true), symbol: z.string(), requestId: z.string() });

/**
 * `POST /breaks/:symbol/clear`: an operator has resolved a reconciliation break, so its instrument
 * takes new orders again (the order service picks that up on its next refresh).
 */
export function registerBreakRoutes(app: FastifyInstance, view: RuntimeView, logger: Logger): void {
  app.post<{ Params: { symbol: string } }>(
    '/breaks/:symbol/clear',
    {
      // The symbol is checked first and answers `invalid_symbol`; the body's message shows the shape expected.
      validatorCompiler: checkedByHandler,
      schema: {
        ...routeDocs({
          tag: 'operator',
          summary: 'Clear a reconciliation break',
          description:
            'An operator has resolved the break, so its instrument takes new orders again (from the order service’s next refresh). The body may be left out. Only the active node clears.',
          access: 'mutation',
        }),
        params,
        body: clearBody,
        response: {
          200: answer('Cleared', clearedSchema),
          ...errorResponses({
            access: 'mutation',
            body: true,
            redis: true,
            codes: {
              400: { invalid_symbol: 'the symbol is not an instrument name', invalid_body: 'a field is wrong: `fields` names each one' },
              404: { unknown_break: 'no open break for the symbol' },
              503: { standby: 'this node is a standby: send it to the active node (the message names it)', breaks_unavailable: 'this process has no Redis for operator actions' },
            },
          }),
        },
      },
    },
    async (request, reply) => {
      const { symbol } = request.params;
      if (!SYMBOL.test(symbol)) return reply.code(400).send(apiError('invalid_symbol', 'symbol: must be 1 to 32 letters, digits, . _ or -, e.g. ES'));
      const parsed = clearBody.safeParse(request.body ?? {});
      if (!parsed.success) return reply.code(400).send(invalidBody(parsed.error.issues, '{"reason"?: "...", "operator"?: "..."}'));
      if (refusedOnStandby(view, reply)) return reply;
      if (!view.clearBreak) return reply.code(503).send(apiError('breaks_unavailable', 'this process cannot clear breaks (no Redis for operator actions)'));
      if (!(await view.clearBreak(symbol))) return reply.code(404).send(apiError('unknown_break', `no open break for ${symbol}; see \`tradewire order breaks\``));
      logger.info('reconciliation break cleared', { symbol, requestId: request.id, ...parsed.data });
      return reply.code(200).send({ cleared: true, symbol, requestId: request.id });
    },
  );
}
