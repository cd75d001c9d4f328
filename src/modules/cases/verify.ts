/**
 * Anyone may check a decision notice (決定通知書): by the number printed on it
 * (`/verify/{hash}`, `GET /api/v1/verify/{hash}`) or by uploading the PDF, whose SHA-256 is
 * compared with the one stored when it was issued. Only the notice's facts are shown —
 * number, procedure, decision, time, seals — never whom it is addressed to; so a check is
 * not a read of personal data and is not audited. The uploaded file is hashed and dropped.
 */
import multipart from '@fastify/multipart';
import type { FastifyRequest } from 'fastify';
import { Type } from 'typebox';
import { sha256Hex, safeEqual } from '../../platform/crypto.js';
import { notFound, validationError } from '../../platform/errors.js';
import type { App } from '../../platform/http/app.js';
import type { Translate } from '../../platform/i18n.js';
import { pageContext, sendPage } from '../../platform/views/render.js';
import './notice-messages.js';
import { HASH, NoticeFactsSchema, type NoticeFacts } from './notice.js';
import type { CasesRuntime } from './runtime.js';
import * as store from './store.js';
import { NotFoundPage, VerifiedPage, VerifyFormPage, type VerifyProblem } from './views/verify.js';

/** A notice is tens of kilobytes; a file much larger cannot be one. */
export const MAX_PDF_BYTES = 5 * 1024 * 1024;

const Lang = Type.Optional(Type.String({ maxLength: 10 }));
const HashParam = Type.Object({ hash: Type.String({ maxLength: 200, description: 'the number printed on the notice: 64 hexadecimal characters (SHA-256)' }) });
const page = { page: true, rateLimit: { max: 120, timeWindow: '1 minute' } } as const;

/**
 * What someone typed or pasted as a notice number: spaces, line breaks and hyphens dropped,
 * lower case; a pasted verify address gives the number at its end.
 */
export function normalizeHash(input: string): string {
  const compact = input.replace(/[\s\u3000-]+/g, '').toLowerCase();
  const inUrl = /\/verify\/([^/?#]*)/.exec(compact);
  return inUrl ? inUrl[1]! : compact;
}

const malformed = (t: Translate, length: number): VerifyProblem => ({ field: 'hash', title: t('cases.verify.malformed'), body: t('cases.verify.malformed.body', { length }) });

const csrfRefused = () => Object.assign(new Error('csrf'), { statusCode: 403, code: 'YK_CSRF' });

/** The posted file, read after the form's CSRF token (a forged upload is refused unread). */
async function readUpload(req: FastifyRequest): Promise<{ content: Buffer; truncated: boolean } | undefined> {
  if (typeof req.isMultipart !== 'function' || !req.isMultipart()) {
    const token = (req.body as { _csrf?: unknown } | undefined)?._csrf;
    if (typeof token !== 'string' || !safeEqual(token, req.csrfToken)) throw csrfRefused();
    return undefined;
  }
  let trusted = false;
  let file: { content: Buffer; truncated: boolean } | undefined;
  for await (const part of req.parts()) {
    if (part.type === 'field') {
      if (part.fieldname === '_csrf') {
        if (typeof part.value !== 'string' || !safeEqual(part.value, req.csrfToken)) throw csrfRefused();
        trusted = true;
      }
      continue;
    }
    if (!trusted) throw csrfRefused();
    const content = await part.toBuffer();
    if (part.fieldname === 'file' && !file && (part.filename || content.length > 0)) file = { content, truncated: part.file.truncated };
  }
  if (!trusted) throw csrfRefused();
  return file;
}

export function registerVerifyPages(app: App, rt: CasesRuntime): void {
  const localNames = (f: NoticeFacts, locale: string) => {
    const p = rt.applications.catalog.procedures.get(f.procedure.code);
    if (!p || locale === 'ja') return { procedureLocal: undefined, departmentLocal: undefined };
    const l = locale as keyof typeof p.names;
    return { procedureLocal: p.names[l], departmentLocal: p.department.names[l] };
  };

  app.get('/verify', { config: page, schema: { querystring: Type.Object({ hash: Type.Optional(Type.String({ maxLength: 300 })), lang: Lang }) } }, async (req, reply) => {
    const typed = req.query.hash;
    if (typed === undefined) return sendPage(reply, VerifyFormPage({ ctx: pageContext(req) }));
    const hash = normalizeHash(typed);
    if (HASH.test(hash)) return reply.redirect(`/verify/${hash}`, 303);
    return sendPage(reply, VerifyFormPage({ ctx: pageContext(req), typed, problem: malformed(req.t, hash.length) }), 400);
  });

  app.get('/verify/:hash', { config: page, schema: { params: HashParam, querystring: Type.Object({ lang: Lang }) } }, async (req, reply) => {
    const hash = req.params.hash.toLowerCase();
    if (!HASH.test(hash)) return sendPage(reply, VerifyFormPage({ ctx: pageContext(req), typed: req.params.hash, problem: malformed(req.t, hash.length) }), 400);
    const n = await store.noticeByHash(rt.db, hash);
    if (!n) return sendPage(reply, NotFoundPage({ ctx: pageContext(req), hash, byFile: false }), 404);
    const facts = n.facts as NoticeFacts;
    return sendPage(reply, VerifiedPage({ ctx: pageContext(req), m: { hash: n.hash, facts, byFile: false, ...localNames(facts, req.locale) } }));
  });

  // The PDF itself: multipart in its own scope; the CSRF token is checked while reading the form.
  void app.register(async (scope) => {
    await scope.register(multipart, { limits: { fileSize: MAX_PDF_BYTES, files: 1, fields: 4, parts: 5, fieldSize: 256 }, throwFileSizeLimit: false });
    (scope as unknown as App).post(
      '/verify',
      { config: { ...page, csrf: false, rateLimit: { max: 30, timeWindow: '1 minute' } }, bodyLimit: MAX_PDF_BYTES + 64 * 1024 },
      async (req, reply) => {
        const file = await readUpload(req);
        const problem = (key: string): VerifyProblem => ({ field: 'file', title: req.t(key, { max: MAX_PDF_BYTES / 1024 / 1024 }), body: req.t('cases.verify.file.hint') });
        if (!file) return sendPage(reply, VerifyFormPage({ ctx: pageContext(req), problem: problem('cases.verify.file.missing') }), 400);
        if (file.truncated) return sendPage(reply, VerifyFormPage({ ctx: pageContext(req), problem: problem('cases.verify.file.tooLarge') }), 413);
        const n = await store.noticeByPdfSha256(rt.db, sha256Hex(file.content));
        if (!n) return sendPage(reply, NotFoundPage({ ctx: pageContext(req), hash: undefined, byFile: true }), 404);
        const facts = n.facts as NoticeFacts;
        return sendPage(reply, VerifiedPage({ ctx: pageContext(req), m: { hash: n.hash, facts, byFile: true, ...localNames(facts, req.locale) } }));
      },
    );
  });

  app.get(
    '/api/v1/verify/:hash',
    {
      config: { rateLimit: { max: 120, timeWindow: '1 minute' } },
      schema: {
        tags: ['cases'],
        summary: 'Checks a decision notice by the number printed on it: the facts of the notice as issued (no personal data); public, not audited',
        security: [],
        params: HashParam,
        response: { 200: Type.Object({ valid: Type.Literal(true), notice: NoticeFactsSchema }) },
      },
    },
    async (req, reply) => {
      const hash = req.params.hash.toLowerCase();
      if (!HASH.test(hash)) {
        throw validationError('a notice number is 64 hexadecimal characters (the SHA-256 printed on the notice)', [
          { field: 'hash', message: `expected 64 characters 0-9 a-f, got ${Math.min(hash.length, 200)}` },
        ]);
      }
      const n = await store.noticeByHash(rt.db, hash);
      if (!n) throw notFound('a decision notice with this number');
      void reply.header('cache-control', 'no-store');
      return { valid: true as const, notice: n.facts as NoticeFacts };
    },
  );
}
