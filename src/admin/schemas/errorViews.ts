import { z } from 'zod';

/** The one error shape every route answers with (apiError.ts), for the routes' response schemas. */
export const apiErrorSchema = z.object({
  error: z.object({
    code: z.string(),
    message: z.string(),
    fields: z.array(z.object({ field: z.string(), message: z.string() })).optional(),
  }),
});
