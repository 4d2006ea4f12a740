import { readFileSync } from 'node:fs';
import type { FastifyInstance, FastifyReply, FastifyRequest } from 'fastify';
import { GatewayError } from '../../contracts/errors/index.js';
import { sendProblem } from './errorHandling.js';
import { sessionCookie, sessionIdOf, SESSION_COOKIE, type ConsoleSessions } from './security/consoleSessions.js';

/** Console paths reachable without a token or session: the page, its two built assets and the login link. */
export const CONSOLE_OPEN_PATHS: readonly string[] = ['/', '/console/app.js', '/console/app.css', '/console/login'];
/** Every console route (outside /v1 and its OpenAPI catalogue); the session ones need the token or the cookie. */
export const CONSOLE_PATHS: readonly string[] = [...CONSOLE_OPEN_PATHS, '/console/session', '/console/login-links'];

const asset = (name: string): Buffer => readFileSync(new URL(`./console/${name}`, import.meta.url));

const policy = [
  "default-src 'none'", "script-src 'self'", "style-src 'self'", "connect-src 'self'", 'img-src data:',
  "base-uri 'none'", "form-action 'none'", "frame-ancestors 'none'", "require-trusted-types-for 'script'",
].join('; ');

/** Headers of everything the console serves: nothing inline runs, nothing remote loads, no framing, no referrer. */
export const consoleHeaders: Readonly<Record<string, string>> = {
  'content-security-policy': policy,
  'x-content-type-options': 'nosniff',
  'x-frame-options': 'DENY',
  'referrer-policy': 'no-referrer',
  'cross-origin-opener-policy': 'same-origin',
  'cross-origin-resource-policy': 'same-origin',
  'cache-control': 'no-store',
};

function send(reply: FastifyReply, type: string, body: Buffer): FastifyReply {
  return reply.headers(consoleHeaders).header('content-type', type).send(body);
}

/**
 * The web console for a technician at the counter. `/` is a static page; its script and style are the built
 * assets committed under src/api/console/dist (scripts/build-console.ts; a test fails when they are stale), so
 * fiscald builds nothing at run time. Login: `fiscalctl console` (which holds the token) asks
 * POST /console/login-links for a one-time link; GET /console/login?once=… spends it and sets the HttpOnly,
 * SameSite=Strict session cookie. POST /console/session with the bearer token does the same for a pasted token.
 */
export async function consolePlugin(app: FastifyInstance, options: { sessions: ConsoleSessions }): Promise<void> {
  const { sessions } = options;
  const html = asset('index.html');
  const script = asset('dist/app.js');
  const style = asset('dist/app.css');
  app.get('/', async (_request, reply) => send(reply, 'text/html; charset=utf-8', html));
  app.get('/console/app.js', async (_request, reply) => send(reply, 'text/javascript; charset=utf-8', script));
  app.get('/console/app.css', async (_request, reply) => send(reply, 'text/css; charset=utf-8', style));

  app.get('/console/login', async (request, reply) => {
    const once = (request.query as Record<string, unknown>).once;
    const session = typeof once === 'string' ? sessions.redeem(once) : undefined;
    reply.headers(consoleHeaders);
    if (session === undefined) return reply.code(303).header('location', '/#login-expired').send();
    return reply.code(303).header('set-cookie', sessionCookie(session)).header('location', '/').send();
  });

  app.post('/console/login-links', async (request, reply) => {
    // Only the token's holder mints links: a console session cannot mint one for another browser.
    if (!/^Bearer\s/i.test(request.headers.authorization ?? '')) return sendProblem(request, reply, new GatewayError('UNAUTHORIZED'));
    const { once, expiresAt } = sessions.mintLink();
    return reply.headers({ 'cache-control': 'no-store' }).send({ path: `/console/login?once=${once}`, expiresAt: new Date(expiresAt).toISOString() });
  });

  // The page asks for its CSRF token here (same origin only: no CORS for other origins). With the bearer
  // token and no session yet (a pasted token), a session is opened and its cookie set.
  const sessionAnswer = async (request: FastifyRequest, reply: FastifyReply) => {
    let session = sessions.fromCookieHeader(request.headers.cookie);
    if (session === undefined) {
      if (request.method !== 'POST') return sendProblem(request, reply, new GatewayError('UNAUTHORIZED'));
      session = sessions.open();
      reply.header('set-cookie', sessionCookie(session));
    }
    return reply.headers({ 'cache-control': 'no-store' }).send({ csrf: session.csrf, expiresAt: new Date(session.expiresAt).toISOString() });
  };
  app.get('/console/session', sessionAnswer);
  app.post('/console/session', sessionAnswer);
  app.delete('/console/session', async (request, reply) => {
    const id = sessionIdOf(request.headers.cookie);
    if (id !== undefined) sessions.close(id);
    return reply.code(204).header('set-cookie', `${SESSION_COOKIE}=; HttpOnly; SameSite=Strict; Path=/; Max-Age=0`).send();
  });
}
