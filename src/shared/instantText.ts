import { z } from 'zod';

/** Why an instant was refused; config errors and fault errors prefix it with the key or field. */
export const INSTANT_PROBLEM = 'must be an ISO 8601 instant with a zone, e.g. 2026-12-07T15:00:00Z';

/**
 * An ISO 8601 instant with its zone (`2026-12-07T15:00:00Z`, `2026-12-07T09:00:00-06:00`). A
 * zone-less time is refused: whose 09:00 it means is exactly what a market clock must not guess.
 */
export const isoInstantSchema = z.iso.datetime({ offset: true, error: INSTANT_PROBLEM });

/** Epoch ms of an ISO 8601 instant with a zone; undefined for anything else. */
export function parseIsoInstant(text: string): number | undefined {
  if (!isoInstantSchema.safeParse(text).success) return undefined;
  const ms = Date.parse(text);
  return Number.isFinite(ms) ? ms : undefined;
}
