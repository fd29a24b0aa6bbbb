import { z } from 'zod';

/** What a reporting endpoint answers to a 2xx submission. */
export const endpointAnswerSchema = z.object({
  status: z.enum(['accepted', 'rejected']),
  reason: z.string().max(2_000).optional(),
  reference: z.string().min(1).max(200).optional(),
});

export type EndpointAnswer = z.output<typeof endpointAnswerSchema>;

export type ResponseClass = 'answered' | 'already_filed' | 'retryable' | 'permanent';

/**
 * 2xx carries the answer; 409 means the Idempotency-Key was seen (already filed, not a failure);
 * 408, 429 and 5xx are the endpoint's trouble and worth retrying; any other status is a refusal
 * of this submission that resending cannot fix.
 */
export function classifyStatus(status: number): ResponseClass {
  if (status >= 200 && status < 300) return 'answered';
  if (status === 409) return 'already_filed';
  if (status === 408 || status === 429 || status >= 500) return 'retryable';
  return 'permanent';
}

export function parseEndpointAnswer(body: string): EndpointAnswer | undefined {
  try {
    const result = endpointAnswerSchema.safeParse(JSON.parse(body));
    return result.success ? result.data : undefined;
  } catch {
    return undefined;
  }
}
