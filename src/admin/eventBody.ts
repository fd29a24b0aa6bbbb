import { z } from 'zod';
import { reservedEventProblem } from './reservedEvents.ts';
import type { InjectedEvent } from './runtimeView.ts';
import { formatIssues } from '../shared/zodIssues.ts';

export const MAX_EVENT_TYPE_LENGTH = 200;

/**
 * An event to inject: a JSON object with a non-empty string `type` that is not reserved to the
 * runtime (lifecycle, XState, order-internal: see reservedEventProblem). Whether the target takes
 * it (its declared schema, broker-origin events) is the runtime's call (RuntimeView.validateEvent).
 */
export const injectedEventSchema = z.looseObject({
  type: z
    .string()
    .min(1)
    .max(MAX_EVENT_TYPE_LENGTH)
    .superRefine((type, ctx) => {
      const reserved = reservedEventProblem(type);
      if (reserved) ctx.addIssue({ code: 'custom', message: reserved });
    }),
});

export function parseInjectedEvent(body: unknown): { event: InjectedEvent } | { problem: string } {
  if (body === null || typeof body !== 'object' || Array.isArray(body)) {
    return { problem: 'body must be a JSON object like {"type":"SOME_EVENT"}' };
  }
  const result = injectedEventSchema.safeParse(body);
  if (result.success) return { event: result.data as InjectedEvent };
  const problems = formatIssues(result.error.issues, { style: 'dotted', root: 'body' });
  return { problem: `invalid event: ${problems.join('; ')}` };
}
