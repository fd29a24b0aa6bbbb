import type { FastifyInstance } from 'fastify';
import { z } from 'zod';
import type { RuntimeView } from '../runtimeView.ts';
import { apiError } from '../apiError.ts';
import { invalidBody } from '../bodyProblems.ts';
import { checkedByHandler } from '../requestValidation.ts';
import { operatorNameSchema } from '../schemas/operatorName.ts';
import { answer, errorResponses, type ErrorCodes } from '../schemas/routeResponses.ts';
import { routeDocs } from '../schemas/routeDocs.ts';

/** What an operator's action on the halt switch must say: why (required), and optionally who. */
const operatorActionBody = z.strictObject({
  reason: z
    .string({ error: (issue) => (issue.input === undefined ? 'required: say why' : 'must be a string') })
    .trim()
    .min(1, 'must not be empty: say why')
    .max(2000, 'must be at most 2000 characters')
    .describe('Why: kept in the audit trail'),
  operator: operatorNameSchema.optional().describe('Who (default `admin-api`)'),
});

/** `POST /halt`: the operator's action, and whether every working order should be cancelled too. */
const haltBody = operatorActionBody.extend({
  cancelAll: z.boolean({ error: 'must be true or false' }).optional().describe('Also ask every working order to cancel (default false)'),
});

const haltedSchema = z.object({
  halted: z.literal(true),
  causes: z.array(z.string()).describe('Every cause intake is halted for now (`operator`, and any the runtime set)'),
  auditSeq: z.number().int().describe('The audit record of the halt'),
  cancelRequested: z.number().int().nonnegative().describe('Working orders asked to cancel (0 without `cancelAll`)'),
  requestId: z.string(),
});

const resumedSchema = z.object({
  resumed: z.literal(true),
  cleared: z.array(z.string()).describe('The causes cleared'),
  auditSeq: z.number().int().describe('The audit record of the resume'),
  requestId: z.string(),
});

/** What halt and resume both answer: a body that is not an operator's action, no switch, or an audit trail that did not take the record. */
const haltSwitchErrors = (auditUnavailable: string, codes: ErrorCodes = {}) =>
  errorResponses({
    access: 'mutation',
    body: true,
    codes: {
      400: { invalid_body: 'a field is missing or wrong: `fields` names each one' },
      ...codes,
      503: { halt_switch_unavailable: 'this process runs no order intake', audit_unavailable: auditUnavailable },
    },
  });

/**
 * The order-intake halt switch. `POST /halt` is the kill switch (new risk refused until a resume;
 * optionally every working order cancelled); `POST /resume` lets intake run again after a halt (Redis lost its
 * state, or an operator halted it); it is recorded in the audit trail, with who, why and the
 * request id, before it takes effect.
 */
export function registerHaltRoutes(app: FastifyInstance, view: RuntimeView): void {
  app.post(
    '/halt',
    {
      // The handler parses the body after checking there is a switch at all, and its message shows the shape expected.
      validatorCompiler: checkedByHandler,
      schema: {
        ...routeDocs({
          tag: 'operator',
          summary: 'Halt order intake (kill switch)',
          description:
            'New orders that add risk are refused (they end `rejected` with the reason) until a resume; cancels and risk-reducing orders still go. With `cancelAll`, every working order is asked to cancel. Recorded in the audit trail first, and kept in Redis so it survives restarts.',
          access: 'mutation',
        }),
        body: haltBody,
        response: {
          200: answer('Halted', haltedSchema),
          ...haltSwitchErrors('the halt could not be recorded in the audit trail: nothing changed'),
        },
      },
    },
    async (request, reply) => {
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
    },
  );

  app.post(
    '/resume',
    {
      validatorCompiler: checkedByHandler,
      schema: {
        ...routeDocs({
          tag: 'operator',
          summary: 'Resume order intake',
          description: 'Clears every halt cause (an operator’s halt, or Redis losing its state once recovery is done), once recorded in the audit trail.',
          access: 'mutation',
        }),
        body: operatorActionBody,
        response: {
          200: answer('Order intake runs again', resumedSchema),
          ...haltSwitchErrors('the resume could not be recorded in the audit trail: intake stays halted', {
            409: { not_halted: 'intake is not halted: nothing to resume', recovery_in_progress: 'the runtime is still recovering from what halted it' },
          }),
        },
      },
    },
    async (request, reply) => {
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
    },
  );
}
