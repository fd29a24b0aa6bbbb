/**
 * A job BullMQ cannot decode: its hash holds fields that are not the JSON BullMQ wrote (a client
 * that bypassed BullMQ, a bad migration, a hand edit). BullMQ throws while decoding it, every
 * time, in the worker and in every getter, so no processor ever sees it: left alone it sits in
 * `active` for good (the stalled checker only hands it back to the next worker that fails on it).
 */

/** Fields BullMQ JSON-decodes when it loads a job; any one of them broken makes the job undecodable. */
const DECODED_FIELDS = ['data', 'opts', 'progress', 'parent'] as const;

/** Decoding throws these (JSON.parse, Object.entries(null)); Redis and connection failures never do. */
export function isDecodeFailure(error: unknown): error is Error {
  return error instanceof SyntaxError || error instanceof TypeError;
}

/** Which field is broken and how, from the raw hash; falls back on BullMQ's own error. */
export function describeCorruption(raw: Record<string, string>, decodeError: Error): string {
  for (const field of DECODED_FIELDS) {
    const text = raw[field];
    if (text === undefined || text === '') continue;
    let value: unknown;
    try {
      value = JSON.parse(text);
    } catch (error) {
      return `${field} is not JSON (${(error as Error).message})`;
    }
    if (field === 'opts' && value === null) return 'opts is JSON null, not an object';
  }
  return `BullMQ cannot decode it (${decodeError.message})`;
}
