import { Slice } from '../state/slice.ts';
import { ApiError, getJson, send, setCsrfToken } from './http.ts';
import type { LoginAnswer, Role, SessionAnswer } from './types.ts';

/**
 * Who the console acts as. `loginRequired`: reads answer 401 (the API is bound beyond loopback), so
 * nothing shows until a login. Without a session on loopback the console is read-only.
 */
export interface SessionState {
  checked: boolean;
  role: Role | null;
  expiresAt: string | null;
  loginRequired: boolean;
  /** The login form is open (on a read-only console, when asked for). */
  loginOpen: boolean;
}

export const session = new Slice<SessionState>({ checked: false, role: null, expiresAt: null, loginRequired: false, loginOpen: false });

const update = (changes: Partial<SessionState>) => session.set({ ...session.value, ...changes });

function adopt(answer: Pick<SessionAnswer, 'role' | 'csrfToken' | 'expiresAt'>): void {
  setCsrfToken(answer.csrfToken);
  update({ role: answer.role, expiresAt: answer.expiresAt });
}

/** Asks the node who we are; without a session, whether reads work without one (loopback). */
export async function checkSession(): Promise<void> {
  const answer = await getJson<SessionAnswer>('/session');
  if (answer.authenticated && answer.role) {
    adopt(answer);
    update({ checked: true, loginRequired: false });
    return;
  }
  adopt({ role: null, csrfToken: null, expiresAt: null });
  let loginRequired = false;
  try {
    await getJson('/halt');
  } catch (error) {
    loginRequired = error instanceof ApiError && (error.status === 401 || error.status === 403);
  }
  update({ checked: true, loginRequired, loginOpen: loginRequired });
}

/** The token goes in the body of this one request; from then on the httpOnly cookie speaks for us. */
export async function logIn(token: string): Promise<void> {
  adopt(await send<LoginAnswer>('POST', '/session', { token }));
  update({ loginRequired: false, loginOpen: false });
}

export async function logOut(): Promise<void> {
  await send('DELETE', '/session');
  adopt({ role: null, csrfToken: null, expiresAt: null });
  await checkSession();
}

export const openLogin = (open: boolean) => update({ loginOpen: open });

export const canOperate = (state: SessionState) => state.role === 'operator';
