import { parsePayload } from '../../queues/parsePayload.ts';
import { orderJobSchema, type OrderJob } from './orderJob.ts';

export type OrderJobParseResult = { ok: true; job: OrderJob } | { ok: false; errors: string[] };

/** Validates a job's data; never throws (see parsePayload). */
export function parseOrderJob(data: unknown): OrderJobParseResult {
  const parsed = parsePayload(orderJobSchema, data, 'order job');
  return parsed.ok ? { ok: true, job: parsed.value } : parsed;
}
