import { z } from 'zod';
import type { InjectedEvent } from '../runtime/runtimeView';

export const MAX_EVENT_TYPE_LENGTH = 200;

/**
 * XState's own events (`xstate.*`: done, error, stop, init) and the supervisor's timers are
 * how actors learn that children died or time passed. Forged from outside, they would make a
 * supervisor restart a child that is still running, so they cannot be injected.
 */
const RESERVED_EVENT_PREFIXES = ['xstate.', 'tradewire.supervisor.'];

/** An event to inject: any JSON object with a non-empty string `type`; other fields pass through. */
export const injectedEventSchema = z.looseObject({
  type: z
    .string()
    .min(1)
    .max(MAX_EVENT_TYPE_LENGTH)
    .refine((type) => !RESERVED_EVENT_PREFIXES.some((prefix) => type.startsWith(prefix)), {
      message: `event types starting with ${RESERVED_EVENT_PREFIXES.join(' or ')} are internal and cannot be injected`,
    }),
});

export function parseInjectedEvent(body: unknown): { event: InjectedEvent } | { problem: string } {
  if (body === null || typeof body !== 'object' || Array.isArray(body)) {
    return { problem: 'body must be a JSON object like {"type":"SOME_EVENT"}' };
  }
  const result = injectedEventSchema.safeParse(body);
  if (result.success) return { event: result.data as InjectedEvent };
  const problems = result.error.issues.map((issue) => `${issue.path.join('.') || 'body'}: ${issue.message}`);
  return { problem: `invalid event: ${problems.join('; ')}` };
}
