import type { FastifyInstance } from 'fastify';
import type { ZodTypeProvider } from 'fastify-type-provider-zod';
import type { RuntimeView } from '../runtimeView.ts';
import { apiError } from '../apiError.ts';
import { auditVerifyBodySchema, auditVerifySchema } from '../schemas/auditVerifyViews.ts';
import { answer, errorResponses } from '../schemas/routeResponses.ts';
import { routeDocs } from '../schemas/routeDocs.ts';

const iso = (ms: number | undefined) => (ms === undefined ? null : new Date(ms).toISOString());

/**
 * `POST /audit/verify`: recomputes the audit trail's hash chain, the whole of it or a time range,
 * as `tradewire audit verify` does. A POST because a whole-trail walk is work an operator asks for,
 * not a read a page may repeat; it changes nothing (the request itself is audited like any other).
 */
export function registerAuditVerifyRoute(app: FastifyInstance, view: RuntimeView): void {
  app.withTypeProvider<ZodTypeProvider>().post(
    '/audit/verify',
    {
      schema: {
        ...routeDocs({
          tag: 'audit',
          summary: 'Verify the audit trail',
          description:
            'Walks the trail (or the records between `from` and `to`) and recomputes every hash: a changed, removed, reordered or inserted record shows as a problem naming it. The same check as `tradewire audit verify --json`.',
          access: 'mutation',
        }),
        body: auditVerifyBodySchema,
        response: {
          200: answer('What the verification found', auditVerifySchema),
          ...errorResponses({
            access: 'mutation',
            body: true,
            redis: true,
            codes: {
              400: { invalid_body: '`from` or `to` is not an ISO-8601 time, or `from` is after `to`: `fields` names it' },
              503: { audit_unavailable: 'this process keeps no audit trail' },
            },
          }),
        },
      },
    },
    async (request, reply) => {
      if (!view.verifyAudit) return reply.code(503).send(apiError('audit_unavailable', 'this process keeps no audit trail'));
      const { from, to } = request.body ?? {};
      const report = await view.verifyAudit({ ...(from !== undefined ? { fromMs: from } : {}), ...(to !== undefined ? { toMs: to } : {}) });
      return { ...report, from: iso(from), to: iso(to) };
    },
  );
}
