import { z } from 'zod';
import { CHILD_ID_SEPARATOR } from '../../machines/orders/algorithms/twapSchedule.ts';

export const MAX_CLIENT_ORDER_ID_LENGTH = 64;

/**
 * The grammar of a clientOrderId from outside (queue, admin API, CLI): 1 to 64 letters, digits,
 * `.`, `_` or `-`. The BullMQ job id and IB's `orderRef` are derived from it, so it must be safe in
 * a Redis key and in a TWS API field. `:` is left out on purpose: ids tradewire derives for child
 * orders (TWAP slices, `<parent>:t<n>`) use it, so no outside id can ever name one of them.
 */
export const CLIENT_ORDER_ID_PATTERN = /^[A-Za-z0-9._-]{1,64}$/;

export const clientOrderIdSchema = z
  .string()
  .min(1, { message: 'must not be empty', abort: true })
  .max(MAX_CLIENT_ORDER_ID_LENGTH, { message: `must be at most ${MAX_CLIENT_ORDER_ID_LENGTH} characters`, abort: true })
  .regex(CLIENT_ORDER_ID_PATTERN, `may only contain letters, digits and . _ - ('${CHILD_ID_SEPARATOR}' is reserved for the ids of child orders)`);

/**
 * Any order id the runtime itself uses: an outside clientOrderId, or a child order's id derived from
 * one (`<parent>:<suffix>`). For records and lookups (audit trail, `order show`), never for intake.
 */
export const orderIdSchema = z
  .string()
  .min(1, { message: 'must not be empty', abort: true })
  .max(MAX_CLIENT_ORDER_ID_LENGTH, { message: `must be at most ${MAX_CLIENT_ORDER_ID_LENGTH} characters`, abort: true })
  .regex(/^[A-Za-z0-9._-]+(?::[A-Za-z0-9._-]+)*$/, 'must be a clientOrderId, or a child order id <clientOrderId>:<suffix>');

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
