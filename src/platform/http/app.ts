/**
 * Builds the Fastify instance every module mounts on: strict validation, problem+json
 * errors, request ids, logs without personal data, security headers, CSRF for browser
 * posts, locale negotiation, static assets, OpenAPI, health and metrics.
 */
import { randomUUID } from 'node:crypto';
import { createRequire } from 'node:module';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';
import Fastify, { type FastifyInstance, type FastifyRequest } from 'fastify';
import cookie from '@fastify/cookie';
import formbody from '@fastify/formbody';
import fastifyStatic from '@fastify/static';
import rateLimit from '@fastify/rate-limit';
import swagger from '@fastify/swagger';
import type { TypeBoxTypeProvider } from '@fastify/type-provider-typebox';
import { Ajv } from 'ajv';
import addFormats from 'ajv-formats';
import { collectDefaultMetrics, Histogram, Registry } from 'prom-client';
import type { Config } from '../config.js';
import type { Db } from '../db/db.js';
import { deriveKey, hmacHex, randomToken, safeEqual } from '../crypto.js';
import { negotiateLocale, translator } from '../i18n.js';
import { ErrorPage } from '../views/layout.js';
import { pageContext, sendPage } from '../views/render.js';
import { makeProblem, problemType, sendProblem, toProblem } from './problem.js';
import './types.js';

export type App = FastifyInstance<
  import('node:http').Server,
  import('node:http').IncomingMessage,
  import('node:http').ServerResponse,
  import('fastify').FastifyBaseLogger,
  TypeBoxTypeProvider
>;

const here = dirname(fileURLToPath(import.meta.url));
const require = createRequire(import.meta.url);
const CSRF_COOKIE = 'yk_csrf';
const REQUEST_ID = /^[A-Za-z0-9._-]{8,64}$/;
const SAFE_METHODS = new Set(['GET', 'HEAD', 'OPTIONS']);

function makeAjv(coerce: boolean): Ajv {
  const ajv = new Ajv({
    allErrors: true,
    removeAdditional: false,
    useDefaults: true,
    coerceTypes: coerce ? 'array' : false,
    strict: false,
    discriminator: true,
  });
  (addFormats as unknown as (a: Ajv) => void)(ajv);
  return ajv;
}

/**
 * Only method and path are logged: query strings can carry names and birth dates, and a
 * route whose path is itself a secret (`config.secretPath`) is logged by its pattern. Errors
 * keep name, code, message and stack; a database error's `detail` ("Failing row contains
 * …") and parameters are dropped, and the values it quotes in its message are masked.
 */
const SQLSTATE = /^[0-9A-Z]{5}$/;
const logSerializers = {
  req: (req: FastifyRequest) => ({
    method: req.method,
    path: req.routeOptions?.config?.secretPath ? req.routeOptions.url : req.url.split('?')[0],
    id: req.id,
  }),
  err: (err: Error & { code?: unknown }) => {
    const db = typeof err.code === 'string' && SQLSTATE.test(err.code);
    const message = db ? err.message.replace(/"[^"]*"/g, '"…"') : err.message;
    return { type: err.name, code: err.code, message, stack: (err.stack ?? '').replace(err.message, message) };
  },
};

export interface AppOptions {
  /** Where logs go (default stdout); tests capture them here. */
  logStream?: { write(msg: string): void };
}

export async function createApp(config: Config, db: Db, opts: AppOptions = {}): Promise<App> {
  const app = Fastify({
    logger:
      config.logLevel === 'silent'
        ? false
        : {
            level: config.logLevel,
            serializers: logSerializers,
            redact: ['req.headers.authorization', 'req.headers.cookie'],
            ...(opts.logStream ? { stream: opts.logStream } : {}),
          },
    bodyLimit: config.bodyLimitBytes,
    trustProxy: config.trustProxy,
    genReqId: (req) => {
      const given = req.headers['x-request-id'];
      return typeof given === 'string' && REQUEST_ID.test(given) ? given : randomUUID();
    },
    routerOptions: { maxParamLength: 200 },
    // A request the HTTP parser cannot read (e.g. raw non-ASCII in the URL) still gets a
    // problem document, not the framework's own JSON.
    clientErrorHandler: (_err, socket) => {
      if (!socket.writable) return;
      const body = JSON.stringify({
        type: problemType('malformed-request'),
        title: 'Bad Request',
        status: 400,
        detail: 'the HTTP request could not be read (percent-encode non-ASCII characters in the URL)',
      });
      socket.end(
        `HTTP/1.1 400 Bad Request\r\nContent-Type: application/problem+json; charset=utf-8\r\nContent-Length: ${Buffer.byteLength(body)}\r\nConnection: close\r\n\r\n${body}`,
      );
    },
  }).withTypeProvider<TypeBoxTypeProvider>() as unknown as App;

  // JSON and forms only: anything else is 415, not parsed as text.
  app.removeContentTypeParser('text/plain');
  const bodyAjv = makeAjv(false);
  const queryAjv = makeAjv(true);
  app.setValidatorCompiler(({ schema, httpPart }) => (httpPart === 'body' ? bodyAjv : queryAjv).compile(schema));

  const csrfKey = deriveKey(config.secret, 'csrf');
  const secure = config.publicUrl.startsWith('https://');

  await app.register(cookie, { secret: deriveKey(config.secret, 'cookie').toString('base64') });
  await app.register(formbody, { bodyLimit: config.bodyLimitBytes });
  await app.register(rateLimit, { global: false });
  await app.register(swagger, {
    openapi: {
      openapi: '3.1.0',
      info: {
        title: 'yakuba API',
        version: '1',
        description: 'The data linkage hub of yakuba. Every read of personal data names its purpose (X-Purpose) and is audited.',
      },
      components: {
        securitySchemes: {
          bearer: { type: 'http', scheme: 'bearer', description: 'OAuth 2.0 client credentials token from POST /oauth/token' },
          session: { type: 'apiKey', in: 'cookie', name: 'yk_session' },
        },
      },
    },
    hideUntagged: true,
  });
  await app.register(fastifyStatic, { root: join(here, '..', 'views', 'assets'), prefix: '/assets/', maxAge: '1d' });
  const tokensDir = dirname(require.resolve('@digital-go-jp/design-tokens/dist/tokens.css'));
  const fontsRoot = dirname(require.resolve('@expo-google-fonts/biz-udpgothic/package.json'));
  app.get('/assets/tokens.css', (_req, reply) => reply.header('cache-control', 'public, max-age=86400').sendFile('tokens.css', tokensDir));
  app.get('/assets/fonts/BIZUDPGothic-Regular.ttf', (_req, reply) =>
    reply.header('cache-control', 'public, max-age=31536000, immutable').sendFile('BIZUDPGothic_400Regular.ttf', join(fontsRoot, '400Regular')),
  );
  app.get('/assets/fonts/BIZUDPGothic-Bold.ttf', (_req, reply) =>
    reply.header('cache-control', 'public, max-age=31536000, immutable').sendFile('BIZUDPGothic_700Bold.ttf', join(fontsRoot, '700Bold')),
  );

  app.decorateRequest('principal', undefined);
  app.decorateRequest('authMethod', undefined);
  app.decorateRequest('csrfToken', '');
  app.decorateRequest('locale', 'ja');
  app.decorateRequest('t', undefined as never);

  app.addHook('onRequest', async (req, reply) => {
    reply.header('x-request-id', req.id);
    const query = req.query as Record<string, unknown> | undefined;
    req.locale = negotiateLocale(query?.lang, req.cookies.lang, req.headers['accept-language']);
    if (typeof query?.lang === 'string' && query.lang === req.locale) {
      reply.setCookie('lang', req.locale, { path: '/', sameSite: 'lax', httpOnly: true, secure, maxAge: 31_536_000 });
    }
    req.t = translator(req.locale);
    let nonce = req.cookies[CSRF_COOKIE];
    if (!nonce || nonce.length < 16) {
      nonce = randomToken(18);
      req.cookies[CSRF_COOKIE] = nonce;
      reply.setCookie(CSRF_COOKIE, nonce, { path: '/', sameSite: 'lax', httpOnly: true, secure });
    }
    req.csrfToken = hmacHex(csrfKey, nonce);
  });

  // Browser posts (pages, or anything authenticated by cookie) must carry the CSRF token,
  // checked before the body is validated so a forged post learns nothing about the form.
  app.addHook('preValidation', async (req) => {
    if (SAFE_METHODS.has(req.method)) return;
    const config = req.routeOptions.config;
    if (config?.csrf === false || req.authMethod === 'bearer') return;
    if (req.authMethod !== 'cookie' && !config?.page) return;
    const body = req.body as Record<string, unknown> | undefined;
    const given = (typeof body?._csrf === 'string' ? body._csrf : undefined) ?? req.headers['x-csrf-token'];
    if (typeof given !== 'string' || !safeEqual(given, req.csrfToken)) {
      throw Object.assign(new Error('csrf'), { statusCode: 403, code: 'YK_CSRF' });
    }
  });

  app.addHook('onSend', async (_req, reply, payload) => {
    reply.header('x-content-type-options', 'nosniff');
    reply.header('referrer-policy', 'same-origin');
    reply.header('x-frame-options', 'DENY');
    reply.header(
      'content-security-policy',
      "default-src 'self'; img-src 'self' data:; style-src 'self'; script-src 'self'; form-action 'self'; frame-ancestors 'none'; base-uri 'none'",
    );
    return payload;
  });

  app.setErrorHandler((err, req, reply) => {
    const mapped =
      (err as { code?: string }).code === 'YK_CSRF'
        ? { problem: makeProblem(req, 403, 'csrf', 'the form token is missing or out of date; reload the page and try again'), unexpected: false }
        : toProblem(err, req);
    if (mapped.unexpected) req.log.error({ err }, 'unexpected error');
    else req.log.info({ status: mapped.problem.status, type: mapped.problem.type }, 'request refused');
    if (req.routeOptions.config?.page) {
      return sendPage(reply, ErrorPage({ ctx: pageContext(req), status: mapped.problem.status, requestId: req.id }), mapped.problem.status);
    }
    return sendProblem(reply, mapped.problem);
  });

  app.setNotFoundHandler((req, reply) => {
    if (!req.url.startsWith('/api/') && (req.headers.accept ?? '').includes('text/html')) {
      return sendPage(reply, ErrorPage({ ctx: pageContext(req), status: 404, requestId: req.id }), 404);
    }
    return sendProblem(reply, makeProblem(req, 404, 'not-found', `no route for ${req.method} ${req.url.split('?')[0]}`));
  });

  // Metrics: request durations by route; no labels carry personal data.
  const registry = new Registry();
  collectDefaultMetrics({ register: registry });
  const duration = new Histogram({
    name: 'yakuba_http_request_duration_seconds',
    help: 'HTTP request duration by route and status',
    labelNames: ['method', 'route', 'status'],
    registers: [registry],
  });
  app.addHook('onResponse', async (req, reply) => {
    duration.observe(
      { method: req.method, route: req.routeOptions.url ?? 'unmatched', status: String(reply.statusCode) },
      reply.elapsedTime / 1000,
    );
  });
  app.get('/metrics', async (_req, reply) => reply.type(registry.contentType).send(await registry.metrics()));

  app.get('/healthz', async (req, reply) => {
    try {
      await db.query('SELECT 1');
      return reply.send({ status: 'ok', database: db.kind });
    } catch {
      return sendProblem(reply, makeProblem(req, 503, 'database-unavailable', 'the database does not answer'));
    }
  });

  app.get('/api/openapi.json', async () => app.swagger());
  return app;
}
