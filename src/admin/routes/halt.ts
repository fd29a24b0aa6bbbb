import type { FastifyInstance } from 'fastify';
import { z } from 'zod';
import type { RuntimeView } from '../runtimeView.ts';
import { apiError } from '../apiError.ts';
import { invalidBody } from '../bodyProblems.ts';

/** What an operator's action on the halt switch must say: why (required), and optionally who. */
const operatorActionBody = z.strictObject({
  reason: z
    .string({ error: (issue) => (issue.input === undefined ? 'required: say why' : 'must be a string') })
    .trim()
    .min(1, 'must not be empty: say why')
    .max(2000, 'must be at most 2000 characters'),
  operator: z.string({ error: 'must be a string' }).regex(/^\S{1,128}$/, 'must be 1 to 128 characters without spaces').optional(),
});

/** `POST /halt`: the operator's action, and whether every working order should be cancelled too. */
const haltBody = operatorActionBody.extend({ cancelAll: z.boolean({ error: 'must be true or false' }).optional() });

/**
 * The order-intake halt switch. `POST /halt` is the kill switch (new risk refused until a resume;
 * optionally every working order cancelled); `POST /resume` lets intake run again after a halt (Redis lost its
 * state, or an operator halted it); it is recorded in the audit trail, with who, why and the
 * request id, before it takes effect.
 */
export function registerHaltRoutes(app: FastifyInstance, view: RuntimeView): void {
  app.post('/halt', async (request, reply) => {
    const haltSwitch = view.haltSwitch;
    if (!haltSwitch) return reply.code(503).send(apiError('halt_switch_unavailable', 'this process has no order-intake halt switch'));
    const parsed = haltBody.safeParse(request.body ?? {});
    if (!parsed.success) return reply.code(400).send(invalidBody(parsed.error.issues, '{"reason": "...", "cancelAll"?: true|false, "operator"?: "..."}'));
    const { reason, operator, cancelAll } = parsed.data;
    let outcome;
    try {
      outcome = await haltSwitch.halt({ who: operator ?? 'admin-api', reason, requestId: request.id }, { cancelAll: cancelAll ?? false });
    } catch (error) {
      return reply.code(503).send(apiError('audit_unavailable', `the halt could not be recorded in the audit trail (${(error as Error).message}); nothing was changed`));
    }
    return reply.code(200).send({ ...outcome, requestId: request.id });
  });

  app.post('/resume', async (request, reply) => {
    const haltSwitch = view.haltSwitch;
    if (!haltSwitch) return reply.code(503).send(apiError('halt_switch_unavailable', 'this process has no order-intake halt switch'));
    const parsed = operatorActionBody.safeParse(request.body ?? {});
    if (!parsed.success) return reply.code(400).send(invalidBody(parsed.error.issues, '{"reason": "...", "operator"?: "..."}'));
    const { reason, operator } = parsed.data;
    let outcome;
    try {
      outcome = await haltSwitch.resume({ who: operator ?? 'admin-api', reason, requestId: request.id });
    } catch (error) {
      return reply
        .code(503)
        .send(apiError('audit_unavailable', `the resume could not be recorded in the audit trail (${(error as Error).message}); order intake stays halted`));
    }
    if (!outcome.resumed) return reply.code(409).send(apiError(outcome.code, outcome.message));
    return reply.code(200).send({ resumed: true, cleared: outcome.cleared, auditSeq: outcome.auditSeq, requestId: request.id });
  });
}
