import { z } from 'zod';
import type { InjectedEvent } from '../runtime/runtimeView';

export const MAX_EVENT_TYPE_LENGTH = 200;

/** An event to inject: any JSON object with a non-empty string `type`; other fields pass through. */
export const injectedEventSchema = z.looseObject({
  type: z.string().min(1).max(MAX_EVENT_TYPE_LENGTH),
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
