/** Sign-in for staff, the purpose chosen per task, sign-out, and the OAuth token endpoint. */
import { Type } from 'typebox';
import type { FastifyReply, FastifyRequest } from 'fastify';
import type { App } from '../../platform/http/app.js';
import { makeProblem, sendProblem } from '../../platform/http/problem.js';
import { pageContext, sendPage } from '../../platform/views/render.js';
import { deriveKey } from '../../platform/crypto.js';
import type { ModuleContext } from '../../platform/module.js';
import * as service from './service.js';
import * as store from './store.js';
import { PurposePage, StaffHomePage, StaffSignInPage, type DemoLogin, type StaffLink } from './views/pages.js';

export const SESSION_COOKIE = 'yk_session';

/** Only local paths are followed after sign-in (no open redirects). */
export function safeNext(next: unknown, fallback: string): string {
  if (typeof next !== 'string' || !/^\/(?![/\\])[^\s]*$/.test(next)) return fallback;
  // Parsed against a dummy origin: it must stay on it, and comes back percent-encoded
  // (a Location header carries ASCII only; `?q=髙橋` would otherwise fail).
  try {
    const url = new URL(next, 'http://local.invalid');
    return url.origin === 'http://local.invalid' ? `${url.pathname}${url.search}${url.hash}` : fallback;
  } catch {
    return fallback;
  }
}

export interface AccessRuntime {
  ctx: ModuleContext;
  grants: service.Grants;
  sessionKey: Buffer;
  tokenKey: Buffer;
  staffLinks: StaffLink[];
  /** Demo installations show their staff logins on the sign-in page. */
  demoLogins?: { logins: DemoLogin[]; password: string };
  /** Set by the composition root from the registry (access cannot read registry tables). */
  isResident?: (personId: string) => Promise<boolean>;
}

export function setSession(rt: AccessRuntime, reply: FastifyReply, payload: service.SessionPayload): void {
  reply.setCookie(SESSION_COOKIE, service.makeSession(rt.sessionKey, payload, rt.ctx.config.sessionTtlSeconds), {
    path: '/',
    httpOnly: true,
    sameSite: 'lax',
    secure: rt.ctx.config.publicUrl.startsWith('https://'),
    maxAge: rt.ctx.config.sessionTtlSeconds,
  });
}

export function registerAccessRoutes(app: App, rt: AccessRuntime): void {
  const { db } = rt.ctx;

  // Who is asking: a bearer token (spokes) or a session cookie (staff, residents).
  app.addHook('onRequest', async (req: FastifyRequest, reply: FastifyReply) => {
    const auth = req.headers.authorization;
    // The token endpoint takes client credentials as HTTP Basic (RFC 6749 §2.3.1).
    const basicAtTokenEndpoint = /^Basic\s/i.test(auth ?? '') && req.url.split('?')[0] === '/oauth/token';
    if (auth !== undefined && !basicAtTokenEndpoint) {
      const m = /^Bearer\s+(\S+)$/i.exec(auth);
      if (!m?.[1]) {
        reply.header('www-authenticate', 'Bearer error="invalid_request"');
        return sendProblem(reply, makeProblem(req, 401, 'unauthenticated', 'the Authorization header must be "Bearer <token>"'));
      }
      try {
        req.principal = await service.principalFromToken(db, rt.tokenKey, m[1]);
        req.authMethod = 'bearer';
      } catch (err) {
        reply.header('www-authenticate', 'Bearer error="invalid_token"');
        return sendProblem(reply, makeProblem(req, 401, 'unauthenticated', (err as Error).message));
      }
      return;
    }
    const cookie = req.cookies[SESSION_COOKIE];
    if (cookie) {
      req.principal = await service.principalFromSession(db, rt.grants, rt.sessionKey, cookie, rt.isResident);
      if (req.principal) req.authMethod = 'cookie';
    }
  });

  const signInBody = Type.Object(
    { login: Type.Optional(Type.String({ maxLength: 200 })), password: Type.Optional(Type.String({ maxLength: 1000 })), next: Type.Optional(Type.String({ maxLength: 2000 })), _csrf: Type.Optional(Type.String()) },
    { additionalProperties: false },
  );

  app.get('/staff/sign-in', { config: { page: true } }, async (req, reply) => {
    const q = req.query as { next?: string };
    return sendPage(reply, StaffSignInPage({ ctx: pageContext(req), form: { login: '', next: safeNext(q.next, '/staff'), errors: [] }, demoLogins: rt.demoLogins }));
  });

  app.post(
    '/staff/sign-in',
    { config: { page: true, rateLimit: { max: 30, timeWindow: '1 minute' } }, schema: { body: signInBody } },
    async (req, reply) => {
      const { t } = req;
      const body = req.body;
      const login = (body.login ?? '').trim();
      const password = body.password ?? '';
      const next = safeNext(body.next, '/staff');
      const errors: { field: 'login' | 'password' | 'form'; message: string }[] = [];
      if (!login) errors.push({ field: 'login', message: t('staff.signIn.required', { field: t('staff.signIn.login') }) });
      if (!password) errors.push({ field: 'password', message: t('staff.signIn.required', { field: t('staff.signIn.password') }) });
      if (errors.length === 0) {
        const result = await service.signInStaff(db, login, password);
        if (result.ok) {
          setSession(rt, reply, { k: 'staff', id: result.staff.id, sv: result.staff.session_version });
          return reply.redirect(next, 303);
        }
        // A locked account answers like a wrong password: the page must not tell an outsider
        // which login IDs exist (an unknown ID can never be locked).
        errors.push({ field: 'form', message: t('staff.signIn.invalidOrLocked') });
      }
      const status = errors[0]?.field === 'form' ? 401 : 400;
      return sendPage(reply, StaffSignInPage({ ctx: pageContext(req), form: { login, next, errors }, demoLogins: rt.demoLogins }), status);
    },
  );

  // Signing out ends the session on the server too: a copied cookie stops working.
  app.post('/staff/sign-out', { config: { page: true } }, async (req, reply) => {
    if (req.principal?.kind === 'staff') await store.bumpSessionVersion(db, req.principal.id);
    reply.clearCookie(SESSION_COOKIE, { path: '/' });
    return reply.redirect('/staff/sign-in', 303);
  });

  app.post('/auth/sign-out', { config: { page: true } }, async (req, reply) => {
    const p = req.principal;
    if (p?.kind === 'resident') await store.revokeSession(db, p.sessionId, p.sessionExpires);
    reply.clearCookie(SESSION_COOKIE, { path: '/' });
    return reply.redirect('/', 303);
  });

  app.get('/staff', { config: { page: true } }, async (req, reply) => {
    const principal = req.principal;
    if (principal?.kind !== 'staff') return reply.redirect('/staff/sign-in', 303);
    return sendPage(reply, StaffHomePage({ ctx: pageContext(req), principal, links: rt.staffLinks }));
  });

  app.get('/staff/purpose', { config: { page: true } }, async (req, reply) => {
    const p = req.principal;
    if (p?.kind !== 'staff') return reply.redirect(`/staff/sign-in?next=${encodeURIComponent(req.url)}`, 303);
    const q = req.query as { next?: string };
    return sendPage(reply, PurposePage({ ctx: pageContext(req), purposes: p.purposes, next: safeNext(q.next, '/staff'), current: p.taskPurpose }));
  });

  app.post(
    '/staff/purpose',
    {
      config: { page: true },
      schema: { body: Type.Object({ purpose: Type.Optional(Type.String({ maxLength: 64 })), next: Type.Optional(Type.String({ maxLength: 2000 })), _csrf: Type.Optional(Type.String()) }, { additionalProperties: false }) },
    },
    async (req, reply) => {
      const p = req.principal;
      if (p?.kind !== 'staff') return reply.redirect('/staff/sign-in', 303);
      if (!req.body.purpose) {
        const page = PurposePage({ ctx: pageContext(req), purposes: p.purposes, next: safeNext(req.body.next, '/staff'), current: undefined, error: req.t('staff.purpose.required') });
        return sendPage(reply, page, 400);
      }
      // Checks the purpose exists and is granted; throws the named error otherwise.
      service.authorize(rt.grants, { principal: p, purposeHeader: req.body.purpose, requestId: req.id, sourceIp: req.ip, kinds: ['staff'] });
      const staff = await store.findStaffById(db, p.id);
      setSession(rt, reply, { k: 'staff', id: p.id, sv: staff?.session_version ?? 0, tp: req.body.purpose });
      return reply.redirect(safeNext(req.body.next, '/staff'), 303);
    },
  );

  // OAuth 2.0 client credentials (RFC 6749 §4.4). Errors carry RFC 6749 `error` members
  // inside the problem document, so both kinds of client understand them.
  const tokenBody = Type.Object(
    {
      grant_type: Type.Optional(Type.String({ maxLength: 100 })),
      client_id: Type.Optional(Type.String({ maxLength: 200 })),
      client_secret: Type.Optional(Type.String({ maxLength: 500 })),
      scope: Type.Optional(Type.String({ maxLength: 500 })),
    },
    { additionalProperties: false },
  );
  app.post(
    '/oauth/token',
    {
      config: { csrf: false, rateLimit: { max: 60, timeWindow: '1 minute' } },
      schema: {
        tags: ['auth'],
        summary: 'Client credentials grant: exchange a client id and secret for a bearer token',
        body: tokenBody,
        response: {
          200: Type.Object({ access_token: Type.String(), token_type: Type.Literal('Bearer'), expires_in: Type.Integer(), scope: Type.String() }),
        },
      },
    },
    async (req, reply) => {
      let { client_id: id, client_secret: secret } = req.body;
      const basic = /^Basic\s+(\S+)$/i.exec(req.headers.authorization ?? '');
      if (basic?.[1]) {
        // RFC 6749 §2.3.1: form-encoded id and secret, split at the first colon only.
        const decoded = Buffer.from(basic[1], 'base64').toString('utf8');
        const colon = decoded.indexOf(':');
        try {
          id = decodeURIComponent(decoded.slice(0, colon < 0 ? undefined : colon).replace(/\+/g, ' '));
          secret = colon < 0 ? '' : decodeURIComponent(decoded.slice(colon + 1).replace(/\+/g, ' '));
        } catch {
          id = undefined;
          secret = undefined;
        }
      }
      reply.header('cache-control', 'no-store');
      if (req.body.grant_type !== 'client_credentials') {
        return sendProblem(reply, makeProblem(req, 400, 'unsupported-grant-type', 'grant_type must be client_credentials', { error: 'unsupported_grant_type' }));
      }
      if (!id || !secret) {
        return sendProblem(reply, makeProblem(req, 400, 'invalid-request', 'client_id and client_secret are required', { error: 'invalid_request' }));
      }
      const token = await service.issueClientToken(db, rt.tokenKey, id, secret, rt.ctx.config.tokenTtlSeconds);
      if (!token) {
        reply.header('www-authenticate', 'Basic realm="yakuba"');
        return sendProblem(reply, makeProblem(req, 401, 'invalid-client', 'the client id or secret is not correct', { error: 'invalid_client' }));
      }
      return { access_token: token.accessToken, token_type: 'Bearer' as const, expires_in: token.expiresIn, scope: token.scope };
    },
  );
}

export function keysFor(ctx: ModuleContext) {
  return { sessionKey: deriveKey(ctx.config.secret, 'cookie'), tokenKey: deriveKey(ctx.config.secret, 'token') };
}
