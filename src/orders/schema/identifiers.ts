import { z } from 'zod';

/**
 * The idempotency key of an order: the BullMQ job id and IB's `orderRef` are derived from it, so
 * it must be safe in a Redis key and in a TWS API field (no spaces, no NULs).
 */
export const clientOrderIdSchema = z
  .string()
  .min(1, { message: 'must not be empty', abort: true })
  .max(64, { message: 'must be at most 64 characters', abort: true })
  .regex(/^[A-Za-z0-9._:-]+$/, 'may only contain letters, digits and . _ : -');

/** IB account codes (DU1234567, U1234567, F1234567 for advisors). */
export const accountSchema = z
  .string()
  .min(1, { message: 'must not be empty', abort: true })
  .max(32, { message: 'must be at most 32 characters', abort: true })
  .regex(/^[A-Za-z0-9._-]+$/, 'may only contain letters, digits and . _ -');

export const strategyNameSchema = z
  .string()
  .min(1, { message: 'must not be empty', abort: true })
  .max(64, { message: 'must be at most 64 characters', abort: true })
  .regex(/^[A-Za-z0-9._-]+$/, 'may only contain letters, digits and . _ -');
