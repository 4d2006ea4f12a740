import { describe, expect, it } from 'vitest';
import { ConsoleSessions, sessionIdOf } from '../../../src/api/security/consoleSessions.js';

describe('ConsoleSessions', () => {
  it('a login link works once and only within two minutes', () => {
    let now = 1_000_000;
    const sessions = new ConsoleSessions(() => now);
    const late = sessions.mintLink();
    now += 120_001;
    expect(sessions.redeem(late.once)).toBeUndefined();
    const link = sessions.mintLink();
    const session = sessions.redeem(link.once)!;
    expect(session.id).not.toBe(link.once);
    expect(session.csrf).not.toBe(session.id);
    expect(sessions.redeem(link.once)).toBeUndefined();
    expect(sessions.redeem('guess')).toBeUndefined();
  });

  it('a session is found by its cookie until it expires (12 h) or is closed, and checks its CSRF token', () => {
    let now = 0;
    const sessions = new ConsoleSessions(() => now);
    const session = sessions.open();
    const header = `theme=dark; fiscal_console=${session.id}; other=1`;
    expect(sessionIdOf(header)).toBe(session.id);
    expect(sessions.fromCookieHeader(header)).toBe(session);
    expect(sessions.fromCookieHeader('fiscal_console=forged')).toBeUndefined();
    expect(sessions.csrfMatches(session, session.csrf)).toBe(true);
    expect(sessions.csrfMatches(session, undefined)).toBe(false);
    expect(sessions.csrfMatches(session, [session.csrf])).toBe(false);
    now += 12 * 3600_000 + 1;
    expect(sessions.fromCookieHeader(header)).toBeUndefined();
    now = 0;
    sessions.close(session.id);
    expect(sessions.fromCookieHeader(header)).toBeUndefined();
  });
});
