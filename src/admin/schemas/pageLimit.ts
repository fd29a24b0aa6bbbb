import { z } from 'zod';

/** A `limit` query parameter: a whole number from 1 to `max` (query strings are text), `fallback` when absent. */
export function pageLimit(max: number, fallback: number) {
  const message = `must be a whole number from 1 to ${max}`;
  return z
    .string()
    .regex(/^\d{1,7}$/, message)
    .transform(Number)
    .refine((limit) => limit >= 1 && limit <= max, message)
    .default(fallback)
    .describe(`1 to ${max}, default ${fallback}`);
}
