import { randomBytes } from 'node:crypto';
import { tokenMatches } from './tokenMatches.js';

/** The cookie that carries a web-console session: HttpOnly (no script reads it), SameSite=Strict, path /. */
export const SESSION_COOKIE = 'fiscal_console';
/** The header a cookie-authenticated state-changing request must carry with its session's CSRF token. */
export const CSRF_HEADER = 'x-csrf-token';

export interface ConsoleSession {
  readonly id: string;
  /** Given to the page in a same-origin JSON answer; a page of another origin cannot read it. */
  readonly csrf: string;
  readonly expiresAt: number;
}

const LINK_TTL_MS = 120_000;
const SESSION_TTL_MS = 12 * 3600_000;
const newSecret = (): string => randomBytes(32).toString('base64url');

/**
 * Console sessions in memory (a restarted daemon asks for a new login). A login link is minted by a holder of
 * the API token (`fiscalctl console`), valid for two minutes and once: redeeming it opens a session whose id
 * travels only in the HttpOnly cookie, so the token itself is never put in a URL or in the page.
 */
export class ConsoleSessions {
  private readonly links = new Map<string, number>();
  private readonly sessions = new Map<string, ConsoleSession>();

  constructor(private readonly now: () => number = Date.now) {}

  mintLink(): { once: string; expiresAt: number } {
    this.prune();
    const once = newSecret();
    const expiresAt = this.now() + LINK_TTL_MS;
    this.links.set(once, expiresAt);
    return { once, expiresAt };
  }

  /** Spends a login link: a session, or undefined when the link is unknown, spent or expired. */
  redeem(once: string): ConsoleSession | undefined {
    const expiresAt = this.links.get(once);
    this.links.delete(once);
    if (expiresAt === undefined || expiresAt < this.now()) return undefined;
    return this.open();
  }

  open(): ConsoleSession {
    this.prune();
    const session = { id: newSecret(), csrf: newSecret(), expiresAt: this.now() + SESSION_TTL_MS };
    this.sessions.set(session.id, session);
    return session;
  }

  /** The session named by the request's Cookie header, if it is one of ours and still valid. */
  fromCookieHeader(header: string | undefined): ConsoleSession | undefined {
    const id = sessionIdOf(header);
    if (id === undefined) return undefined;
    const session = this.sessions.get(id);
    if (session === undefined || session.expiresAt < this.now()) return undefined;
    return session;
  }

  close(id: string): void {
    this.sessions.delete(id);
  }

  csrfMatches(session: ConsoleSession, presented: string | string[] | undefined): boolean {
    return typeof presented === 'string' && tokenMatches(presented, session.csrf);
  }

  private prune(): void {
    const now = this.now();
    for (const [once, expiresAt] of this.links) if (expiresAt < now) this.links.delete(once);
    for (const [id, session] of this.sessions) if (session.expiresAt < now) this.sessions.delete(id);
  }
}

export function sessionIdOf(header: string | undefined): string | undefined {
  for (const part of (header ?? '').split(';')) {
    const [name, ...rest] = part.trim().split('=');
    if (name === SESSION_COOKIE) return rest.join('=');
  }
  return undefined;
}

export function sessionCookie(session: ConsoleSession): string {
  const maxAge = Math.max(0, Math.floor((session.expiresAt - Date.now()) / 1000));
  return `${SESSION_COOKIE}=${session.id}; HttpOnly; SameSite=Strict; Path=/; Max-Age=${maxAge}`;
}
