/** The portal's pages: home, resident sign-in (OpenID Connect, demo) and their answers. */
import { Type } from 'typebox';
import type { App } from '../../platform/http/app.js';
import type { Config } from '../../platform/config.js';
import { pageContext, sendPage } from '../../platform/views/render.js';
import { safeNext, type Access } from '../access/index.js';
import type { DemoSignIn } from './demo-sign-in.js';
import { createOidcClient, FLOW_COOKIE, FLOW_COOKIE_PATH, FLOW_TTL_SECONDS, type IdentityDeps } from './oidc.js';
import { HomePage } from './views/home.js';
import { SignInPage } from './views/sign-in.js';
import { DemoSignInPage } from './views/demo.js';
import { SignInProblemPage } from './views/oidc-result.js';

export interface PortalRuntime {
  config: Config;
  access: Access;
  /** Present only in a demo installation outside production. */
  demo: DemoSignIn | undefined;
  identities: IdentityDeps;
  /** Signs the OpenID Connect flow cookie. */
  cookieKey: Buffer;
}

const AFTER_SIGN_IN = '/me';
const nextQuery = Type.Object({ next: Type.Optional(Type.String({ maxLength: 2000 })), lang: Type.Optional(Type.String({ maxLength: 10 })) });
const signInLimit = { rateLimit: { max: 30, timeWindow: '1 minute' } };

export function registerPortalRoutes(app: App, rt: PortalRuntime): void {
  const { config, access } = rt;
  const secure = config.publicUrl.startsWith('https://');

  app.get('/', { config: { page: true } }, async (req, reply) => sendPage(reply, HomePage({ ctx: pageContext(req) })));

  app.get('/auth/sign-in', { config: { page: true }, schema: { querystring: nextQuery } }, async (req, reply) =>
    sendPage(reply, SignInPage({ ctx: pageContext(req), options: { next: safeNext(req.query.next, AFTER_SIGN_IN), oidc: !!config.oidc, demo: !!rt.demo } })),
  );

  if (config.oidc) {
    const oidc = createOidcClient({ settings: config.oidc, env: config.env, publicUrl: config.publicUrl, cookieKey: rt.cookieKey, deps: rt.identities, log: app.log });

    app.get('/auth/oidc/start', { config: { page: true, ...signInLimit }, schema: { querystring: nextQuery } }, async (req, reply) => {
      const started = await oidc.start(safeNext(req.query.next, AFTER_SIGN_IN));
      if ('unavailable' in started) return sendPage(reply, SignInProblemPage({ ctx: pageContext(req), problem: 'unavailable', requestId: req.id }), 503);
      reply.setCookie(FLOW_COOKIE, started.cookie, { path: FLOW_COOKIE_PATH, httpOnly: true, sameSite: 'lax', secure, maxAge: FLOW_TTL_SECONDS });
      return reply.redirect(started.url, 303);
    });

    // The provider's answer: its parameters are read as they come (code, state, iss, error…).
    app.get('/auth/oidc/callback', { config: { page: true, ...signInLimit } }, async (req, reply) => {
      const query = new URL(req.url, 'http://callback.invalid').searchParams;
      const cookie = req.cookies[FLOW_COOKIE];
      // One attempt, one use: the flow cookie goes whatever the outcome.
      reply.clearCookie(FLOW_COOKIE, { path: FLOW_COOKIE_PATH });
      const outcome = await oidc.finish(query, cookie);
      const ctx = pageContext(req);
      switch (outcome.kind) {
        case 'signed-in':
          access.signInResident(reply, outcome.personId, false);
          return reply.redirect(safeNext(outcome.next, AFTER_SIGN_IN), 303);
        case 'not-identified':
          return sendPage(reply, SignInProblemPage({ ctx, problem: 'not-identified', requestId: req.id }), 403);
        case 'unavailable':
          return sendPage(reply, SignInProblemPage({ ctx, problem: 'unavailable', requestId: req.id }), 503);
        case 'failed':
          return sendPage(reply, SignInProblemPage({ ctx, problem: outcome.reason, requestId: req.id }), 400);
      }
    });
  }

  const demo = rt.demo;
  if (demo) {
    app.get('/auth/demo', { config: { page: true }, schema: { querystring: nextQuery } }, async (req, reply) => {
      const residents = await demo.list({ requestId: req.id, sourceIp: req.ip, log: req.log });
      return sendPage(reply, DemoSignInPage({ ctx: pageContext(req), residents, next: safeNext(req.query.next, AFTER_SIGN_IN) }));
    });

    app.post(
      '/auth/demo',
      {
        config: { page: true, ...signInLimit },
        schema: {
          body: Type.Object(
            { personId: Type.String({ format: 'uuid' }), next: Type.Optional(Type.String({ maxLength: 2000 })), _csrf: Type.Optional(Type.String({ maxLength: 200 })) },
            { additionalProperties: false },
          ),
        },
      },
      async (req, reply) => {
        await demo.checkEligible(req.body.personId);
        access.signInResident(reply, req.body.personId, true);
        return reply.redirect(safeNext(req.body.next, AFTER_SIGN_IN), 303);
      },
    );
  }
}
