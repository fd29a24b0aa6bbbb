import type { ApiTag } from './apiTags.ts';

/**
 * Who may call a route (see adminAuth.ts): `probe` needs no token anywhere; `read` is open on
 * loopback and needs either token beyond it; `mutation` always needs the operator token; `session`
 * (the browser login) needs none and checks what it needs itself. A browser session's cookie
 * counts as the token that opened it.
 */
export type RouteAccess = 'probe' | 'read' | 'mutation' | 'session';

const ACCESS_NOTES: Record<RouteAccess, string> = {
  probe: '**Access:** no token needed, wherever the API listens.',
  read: '**Access:** open on loopback; beyond it, the operator or the read-only bearer token (or a console session opened with either).',
  mutation:
    '**Access:** the operator bearer token (`TRADEWIRE_ADMIN_TOKEN`), or a console session opened with it plus its CSRF token in `x-csrf-token`; recorded in the audit trail.',
  session: '**Access:** no token needed: this is how the browser console logs in and out (the login and logout are recorded in the audit trail, never the token).',
};

export interface RouteDocs {
  tag: ApiTag;
  summary: string;
  /** Markdown; the access note is added below it. */
  description?: string;
  access: RouteAccess;
}

/** The documentation part of a route's schema: its group, summary, description, and who may call it. */
export function routeDocs({ tag, summary, description, access }: RouteDocs) {
  return {
    tags: [tag],
    summary,
    description: description === undefined ? ACCESS_NOTES[access] : `${description}\n\n${ACCESS_NOTES[access]}`,
    // The document's default is the bearer token; a probe overrides it with "none".
    ...(access === 'probe' ? { security: [] } : {}),
  };
}
