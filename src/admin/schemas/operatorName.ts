import { z } from 'zod';

/** Who an operator's action names (`operator` in a halt, resume or break clear): kept in the log and audit trail, so one word. */
export const operatorNameSchema = z.string({ error: 'must be a string' }).regex(/^\S{1,128}$/, 'must be 1 to 128 characters without spaces');
