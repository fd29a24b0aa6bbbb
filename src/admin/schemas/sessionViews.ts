import { z } from 'zod';

const role = z.enum(['operator', 'read']).describe('`operator`: every route; `read`: reads only');

/** `POST /session`: the token, once; it is never kept, logged or echoed. */
export const loginBodySchema = z.strictObject({
  token: z
    .string({ error: (issue) => (issue.input === undefined ? 'required' : 'must be a string') })
    .min(1, 'must not be empty')
    .max(512, 'must be at most 512 characters')
    .describe('The operator token (`TRADEWIRE_ADMIN_TOKEN`) or the read-only token (`TRADEWIRE_READ_TOKEN`)'),
});

export const loginAnswerSchema = z
  .object({
    role,
    csrfToken: z.string().describe('Send it as `x-csrf-token` with every change made with this session'),
    expiresAt: z.iso.datetime({ offset: true }).describe('When the session ends (`admin.session.ttlMs` after the login)'),
  })
  .meta({ id: 'Session', description: 'A console session: its role, its CSRF token and when it ends; the session itself is the HttpOnly cookie `tw_session`' });

export const sessionStateSchema = z
  .object({
    authenticated: z.boolean(),
    role: role.nullable(),
    csrfToken: z.string().nullable(),
    expiresAt: z.iso.datetime({ offset: true }).nullable(),
  })
  .meta({ id: 'SessionState', description: 'Whether the request carries a live session cookie, and if so its role, CSRF token and end' });
