import type { DiscontinuityFacts } from './chainFindings.ts';

// Canonical JSON has no whitespace, so a discontinuity record's body always contains this; most
// bodies can then be passed over without parsing them.
const MARKER = Buffer.from('"kind":"discontinuity"');

/** The facts of a discontinuity record, from its stored body; undefined for any other record. */
export function discontinuityIn(body: Buffer, tsMs: number): DiscontinuityFacts | undefined {
  if (!body.includes(MARKER)) return undefined;
  let record: unknown;
  try {
    record = JSON.parse(body.toString('utf8'));
  } catch {
    return undefined;
  }
  // The marker may sit inside another record's payload; only a top-level kind counts.
  if (typeof record !== 'object' || record === null || (record as { kind?: unknown }).kind !== 'discontinuity') return undefined;
  const { lost, missingFromSeq, missingToSeq, previousHead } = record as { lost?: unknown; missingFromSeq?: unknown; missingToSeq?: unknown; previousHead?: { hash?: unknown } };
  const seq = (value: unknown) => (typeof value === 'number' && Number.isSafeInteger(value) ? value : undefined);
  return {
    lost: Array.isArray(lost) ? lost.map(String) : [],
    missingFromSeq: seq(missingFromSeq),
    missingToSeq: seq(missingToSeq),
    previousHash: typeof previousHead?.hash === 'string' ? previousHead.hash : undefined,
    at: new Date(tsMs).toISOString(),
  };
}
