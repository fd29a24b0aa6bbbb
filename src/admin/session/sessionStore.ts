import { createHash, randomBytes } from 'node:crypto';
import type { Now } from '../../shared/clock.ts';
import type { AdminRole } from '../adminAuth.ts';

/** One browser's login: the role its token granted, the CSRF token its mutations carry, and when it ends. */
export interface AdminSession {
  role: AdminRole;
  csrfToken: string;
  expiresAtMs: number;
}

export interface SessionStoreOptions {
  /** How long a session lives after its login (`admin.session.ttlMs`). */
  ttlMs: number;
  /** Epoch ms; tests move it by hand. */
  now?: Now;
  /** Sessions kept at most; the oldest goes first. Only a right token creates one, so this bounds memory, not abuse. */
  maxSessions?: number;
}

/** 32 random bytes as base64url: unguessable, and safe in a cookie and a header as it is. */
export const randomToken = (): string => randomBytes(32).toString('base64url');

/** The map key of a session id: its digest, so the memory holds nothing a cookie could be rebuilt from. */
const keyOf = (id: string): string => createHash('sha256').update(id, 'utf8').digest('base64url');

/**
 * The node's browser sessions, in memory only: a restart logs everyone out, and a session on one
 * node is unknown to another. Expired sessions are dropped when looked up and when a new one is made.
 */
export class SessionStore {
  private readonly sessions = new Map<string, AdminSession>();
  private readonly now: Now;
  private readonly maxSessions: number;

  constructor(private readonly options: SessionStoreOptions) {
    this.now = options.now ?? Date.now;
    this.maxSessions = options.maxSessions ?? 1_000;
  }

  get ttlMs(): number {
    return this.options.ttlMs;
  }

  /** A new session for `role`; `id` goes into the cookie and is kept nowhere else. */
  create(role: AdminRole): { id: string; session: AdminSession } {
    this.dropExpired();
    while (this.sessions.size >= this.maxSessions) this.sessions.delete(this.sessions.keys().next().value!);
    const id = randomToken();
    const session: AdminSession = { role, csrfToken: randomToken(), expiresAtMs: this.now() + this.options.ttlMs };
    this.sessions.set(keyOf(id), session);
    return { id, session };
  }

  /** The live session of a cookie value, or null (none, unknown, or expired: then it is forgotten). */
  find(id: string | undefined): AdminSession | null {
    if (id === undefined || id === '') return null;
    const key = keyOf(id);
    const session = this.sessions.get(key);
    if (!session) return null;
    if (session.expiresAtMs <= this.now()) {
      this.sessions.delete(key);
      return null;
    }
    return session;
  }

  /** Ends a session (logout); false when there was none. */
  delete(id: string): boolean {
    return this.sessions.delete(keyOf(id));
  }

  private dropExpired(): void {
    const now = this.now();
    for (const [key, session] of this.sessions) if (session.expiresAtMs <= now) this.sessions.delete(key);
  }
}
