import { tokensMatch } from './tokensMatch.ts';

/** The admin API's tokens cannot work as configured; the server refuses to start. */
export class AdminTokenConfigError extends Error {
  override readonly name = 'AdminTokenConfigError';
}

/**
 * A read token equal to the operator token would be a read-only credential that can change
 * anything (the operator role wins), so whoever holds the "read-only" one could halt, trade or
 * purge: refused rather than guessed at.
 */
export function checkAdminTokens(token: string | undefined, readToken: string | undefined): void {
  if (token === undefined || readToken === undefined || !tokensMatch(token, readToken)) return;
  throw new AdminTokenConfigError(
    'admin.readToken (TRADEWIRE_READ_TOKEN) must differ from admin.token (TRADEWIRE_ADMIN_TOKEN): the read-only token would otherwise be the operator token; pick two different values',
  );
}
