/** A lookup failed a moment ago; the failure is served from the cache instead of asking IB again. */
export class CachedLookupError extends Error {
  override readonly name = 'CachedLookupError';

  constructor(
    readonly key: string,
    readonly originalMessage: string,
    /** How long until the failure is forgotten and the next get asks again. */
    readonly retryAfterMs: number,
  ) {
    super(`reference data lookup for ${key} failed recently: ${originalMessage} (cached; retried after ${Math.ceil(retryAfterMs)} ms)`);
  }
}
