/** The applications API: thin routes — authorize, validate, call the service, answer. */
import { Type } from 'typebox';
import type { FastifyRequest } from 'fastify';
import type { App } from '../../platform/http/app.js';
import { validationError } from '../../platform/errors.js';
import { randomToken, sha256Hex } from '../../platform/crypto.js';
import { toJsonSchema } from './form.js';
import { resolveParties } from './prepare.js';
import { prefillFor } from './prefill.js';
import { submitApplications, hashRequest, type SubmitItem, type Submitted } from './submit.js';
import { describer } from './words.js';
import { readApplication, readAttachment, inbox, listForResident, toView } from './read.js';
import { procedureOf, type Actor, type ApplicationsRuntime } from './runtime.js';
import { searchProcedures, summaryOf } from './catalog.js';
import { registerAgent } from './agents.js';
import { receiptPdf } from './receipt-data.js';
import { ApplicationSchema, BundleSchema, ListItemSchema, ProcedureSchema, ProcedureSummarySchema, SubmissionSchema, SubmitBodySchema, type Item } from './schema.js';
import * as store from './store.js';

const Uuid = Type.String({ format: 'uuid' });
/** Staff read applications for these purposes. */
export const STAFF_PURPOSES = ['application-review', 'application-intake', 'counter-service'];
const IdempotencyHeaders = Type.Object({
  'idempotency-key': Type.Optional(Type.String({ minLength: 8, maxLength: 200, pattern: '^[\\x21-\\x7E]+$', description: 'a double-click or a retry makes one application' })),
  'x-purpose': Type.Optional(Type.String()),
});

/** The acting party of a request that writes: a resident, staff keying in paper, or (procedures without sign-in) anyone. */
export function actorOf(rt: ApplicationsRuntime, req: FastifyRequest, anonKey?: string): Actor {
  const p = req.principal;
  if (p?.kind === 'resident') {
    return { kind: 'resident', personId: p.id, ctx: rt.access.authorizeAccess(req, { kinds: ['resident'], purposes: ['application-intake'], defaultPurpose: 'application-intake' }) };
  }
  if (p?.kind === 'staff') {
    return { kind: 'staff', staffId: p.id, ctx: rt.access.authorizeAccess(req, { kinds: ['staff'], purposes: ['application-intake', 'counter-service'], defaultPurpose: 'application-intake' }) };
  }
  if (p) rt.access.authorizeAccess(req, { kinds: ['resident', 'staff'] });
  // Without a browser token, every anonymous call is its own owner: keys never span strangers.
  return { kind: 'anonymous', ownerKey: `anon:${sha256Hex(anonKey ?? randomToken())}`, requestId: req.id, sourceIp: req.ip };
}

export function readerOf(rt: ApplicationsRuntime, req: FastifyRequest) {
  return rt.access.authorizeAccess(req, { kinds: ['resident', 'staff', 'client'], purposes: ['self-service', ...STAFF_PURPOSES] });
}

function decodeFiles(item: Item, at: string): SubmitItem['files'] {
  return (item.attachments ?? []).map((f, i) => {
    if (!/^[A-Za-z0-9+/]*={0,2}$/.test(f.content) || f.content.length % 4 !== 0) {
      throw validationError('an attachment is not valid base64', [{ field: `${at}attachments/${i}/content`, message: 'is not base64' }]);
    }
    return { slot: f.slot, filename: f.filename, content: Buffer.from(f.content, 'base64') };
  });
}

const itemOf = (rt: ApplicationsRuntime, item: Item, at: string): SubmitItem => ({
  procedure: procedureOf(rt, item.procedure),
  ...(item.subjectId ? { subjectId: item.subjectId } : {}),
  data: item.data,
  corrections: (item.corrections ?? []).map((c) => ({ path: c.field, note: c.note })),
  files: decodeFiles(item, at),
});

/** Whether JSON nests deeper than `max` (checked without recursion, so any depth is safe). */
export function nestsDeeperThan(value: unknown, max: number): boolean {
  const stack: [unknown, number][] = [[value, 0]];
  while (stack.length) {
    const [v, depth] = stack.pop()!;
    if (v === null || typeof v !== 'object') continue;
    if (depth >= max) return true;
    for (const child of Object.values(v)) stack.push([child, depth + 1]);
  }
  return false;
}

/** Per session (or per address without one): applying is not a bulk operation. */
const perCaller = (req: FastifyRequest): string => /yk_session=([^;]+)/.exec(req.headers.cookie ?? '')?.[1]?.slice(-32) ?? req.headers.authorization?.slice(-32) ?? req.ip;

export function submissionView(rt: ApplicationsRuntime, res: Submitted, attachments: store.AttachmentMeta[] = []) {
  const s = res.submission;
  return {
    id: s.id,
    reference: s.reference,
    lifeEvent: s.bundle,
    channel: s.channel,
    submittedAt: s.submitted_at.toISOString(),
    receipt: res.statusToken ? `/applications/status/${res.statusToken}/receipt.pdf` : `/api/v1/submissions/${s.id}/receipt.pdf`,
    statusPage: res.statusToken ? `/applications/status/${res.statusToken}` : `/me/applications/${s.id}`,
    applications: res.applications.map((a) => toView(a, procedureOf(rt, a.procedure_code), attachments)),
    ...(s.demo ? { demo: true } : {}),
  };
}

export function registerApplicationsApi(app: App, rt: ApplicationsRuntime, townName: () => string): void {
  app.get(
    '/api/v1/procedures',
    {
      schema: {
        tags: ['applications'],
        summary: 'Procedures the town accepts, found by words, life event, department or category',
        querystring: Type.Object(
          {
            q: Type.Optional(Type.String({ maxLength: 100 })),
            lifeEvent: Type.Optional(Type.String({ maxLength: 20 })),
            department: Type.Optional(Type.String({ maxLength: 64 })),
            category: Type.Optional(Type.String({ maxLength: 32 })),
          },
          { additionalProperties: false },
        ),
        response: { 200: Type.Object({ items: Type.Array(ProcedureSummarySchema), lifeEvents: Type.Array(BundleSchema) }) },
      },
    },
    async (req) => ({ items: searchProcedures(rt.catalog, req.query).map(summaryOf), lifeEvents: [...rt.catalog.bundles.values()] }),
  );

  app.get(
    '/api/v1/procedures/:code',
    {
      schema: {
        tags: ['applications'],
        summary: 'One procedure: its definition and the JSON Schema its data must meet',
        params: Type.Object({ code: Type.String({ maxLength: 64 }) }),
        response: { 200: Type.Object({ definition: ProcedureSchema, schema: Type.Record(Type.String(), Type.Unknown()) }) },
      },
    },
    async (req) => {
      const p = procedureOf(rt, req.params.code);
      return { definition: p, schema: toJsonSchema(p) };
    },
  );

  app.get(
    '/api/v1/procedures/:code/prefill',
    {
      schema: {
        tags: ['applications'],
        summary: 'What the town’s records fill in this procedure’s form for the signed-in resident (once-only); audited',
        security: [{ session: [] }],
        params: Type.Object({ code: Type.String({ maxLength: 64 }) }),
        querystring: Type.Object({ subjectId: Type.Optional(Uuid) }, { additionalProperties: false }),
        response: {
          200: Type.Object({
            data: Type.Record(Type.String(), Type.Unknown()),
            prefilled: Type.Array(Type.String(), { description: 'pointers of the fields taken from the records' }),
            actingAs: Type.Union([Type.String(), Type.Null()]),
          }),
        },
      },
    },
    async (req) => {
      const p = procedureOf(rt, req.params.code);
      const { parties, actingAs } = await resolveParties(rt, actorOf(rt, req), p, req.query.subjectId);
      const pre = parties ? prefillFor(p, parties, rt.today()) : { data: {}, paths: new Set<string>() };
      return { data: pre.data, prefilled: [...pre.paths], actingAs };
    },
  );

  app.post(
    '/api/v1/applications',
    {
      bodyLimit: rt.config.uploadLimitBytes,
      config: { rateLimit: { max: 30, timeWindow: '1 minute', keyGenerator: perCaller } },
      schema: {
        tags: ['applications'],
        summary: 'Submit an application (or a life event’s applications under one receipt); pre-filled fields are taken from the register',
        description:
          'A signed-in resident applies for themself, their household or as a registered agent; staff key in paper forms (name applicantId). ' +
          'Checks, in order: who may act (403), the form (400, each field named), the rules against the register (422), an open duplicate (409 with its link).',
        security: [{ session: [] }],
        headers: IdempotencyHeaders,
        body: SubmitBodySchema,
        response: { 200: SubmissionSchema, 201: SubmissionSchema },
      },
    },
    async (req, reply) => {
      const body = req.body;
      if (nestsDeeperThan(body, 12)) throw validationError('the application nests deeper than any form does', [{ field: 'data', message: 'nests too deep' }]);
      const actor = actorOf(rt, req);
      if ('lifeEvent' in body) {
        const listed = new Set(rt.catalog.bundles.get(body.lifeEvent)?.procedures.map((x) => x.code) ?? []);
        const stray = body.applications.map((a, i) => ({ a, i })).filter(({ a }) => !listed.has(a.procedure));
        if (stray.length) {
          throw validationError(`a procedure is not part of the life event ${body.lifeEvent}`, stray.map(({ a, i }) => ({ field: `applications/${i}/procedure`, message: `${a.procedure} is not part of ${body.lifeEvent}` })));
        }
      }
      const items = 'applications' in body ? body.applications.map((a, i) => itemOf(rt, a, `applications/${i}/`)) : [itemOf(rt, body, '')];
      const res = await submitApplications(rt, actor, {
        items,
        bundle: 'lifeEvent' in body ? body.lifeEvent : null,
        channel: actor.kind === 'staff' ? 'paper' : 'online',
        ...(body.applicantId ? { applicantId: body.applicantId } : {}),
        ...(req.headers['idempotency-key'] ? { idempotencyKey: req.headers['idempotency-key'] } : {}),
        requestHash: hashRequest(body),
        strictCorrections: true,
        describe: describer(req.locale, req.t, { townName: townName(), publicUrl: rt.config.publicUrl }),
      });
      if (res.replayed) reply.header('idempotent-replayed', 'true');
      const attachments = await store.attachmentsOf(rt.db, res.applications.map((a) => a.id));
      return reply.status(res.replayed ? 200 : 201).header('location', `/api/v1/applications/${res.applications[0]!.id}`).send(submissionView(rt, res, attachments));
    },
  );

  app.get(
    '/api/v1/applications/:id',
    {
      schema: {
        tags: ['applications'],
        summary: 'One application: a resident’s own or their household’s; staff by purpose',
        security: [{ session: [] }, { bearer: [] }],
        params: Type.Object({ id: Uuid }),
        response: { 200: ApplicationSchema },
      },
    },
    async (req) => (await readApplication(rt, readerOf(rt, req), req.params.id)).view,
  );

  app.get(
    '/api/v1/applications/:id/attachments/:attachmentId',
    {
      schema: { tags: ['applications'], summary: 'An attachment of an application', security: [{ session: [] }, { bearer: [] }], params: Type.Object({ id: Uuid, attachmentId: Uuid }) },
    },
    async (req, reply) => {
      const file = await readAttachment(rt, readerOf(rt, req), req.params.id, req.params.attachmentId);
      return reply
        .header('content-type', file.content_type)
        .header('content-disposition', `attachment; filename="attachment"; filename*=UTF-8''${encodeURIComponent(file.filename)}`)
        .header('cache-control', 'no-store')
        .header('x-content-type-options', 'nosniff')
        .send(Buffer.from(file.content));
    },
  );

  app.get(
    '/api/v1/me/applications',
    {
      schema: {
        tags: ['applications'],
        summary: 'The signed-in resident’s drafts and applications, and those about their household',
        security: [{ session: [] }],
        response: { 200: Type.Object({ items: Type.Array(ListItemSchema) }) },
      },
    },
    async (req) => ({ items: await listForResident(rt, rt.access.authorizeAccess(req, { kinds: ['resident'], purposes: ['self-service'] })) }),
  );

  app.get(
    '/api/v1/applications',
    {
      schema: {
        tags: ['applications'],
        summary: 'The departmental inbox: submitted applications, newest first',
        security: [{ session: [] }, { bearer: [] }],
        querystring: Type.Object(
          {
            department: Type.Optional(Type.String({ maxLength: 64 })),
            procedure: Type.Optional(Type.String({ maxLength: 64 })),
            channel: Type.Optional(Type.Union([Type.Literal('online'), Type.Literal('paper'), Type.Literal('counter')])),
            limit: Type.Optional(Type.Integer({ minimum: 1, maximum: 200, default: 50 })),
            after: Type.Optional(Type.String({ pattern: '^[0-9]{4}-[0-9]{6}-[0-9]{2}$', description: 'the `next` of the previous page' })),
          },
          { additionalProperties: false },
        ),
        response: { 200: Type.Object({ items: Type.Array(ListItemSchema), next: Type.Union([Type.String(), Type.Null()]) }) },
      },
    },
    async (req) => {
      const ctx = rt.access.authorizeAccess(req, { kinds: ['staff', 'client'], purposes: ['application-review', 'application-intake'] });
      const q = req.query;
      const { items, next } = await inbox(rt, ctx, {
        departments: q.department ? [q.department] : undefined,
        procedure: q.procedure,
        channel: q.channel,
        status: undefined,
        after: q.after,
        limit: q.limit ?? 50,
      });
      return { items, next: next ?? null };
    },
  );

  app.post(
    '/api/v1/agents',
    {
      schema: {
        tags: ['applications'],
        summary: 'Register an agent (代理人) who may apply for a person outside their household',
        description: 'Staff only, after checking the power of attorney or guardianship papers at the counter.',
        security: [{ session: [] }],
        body: Type.Object(
          {
            principalId: Uuid,
            agentId: Uuid,
            kind: Type.Union([Type.Literal('guardian'), Type.Literal('relative'), Type.Literal('care-manager'), Type.Literal('other')]),
            validFrom: Type.String({ format: 'date' }),
            validTo: Type.Optional(Type.String({ format: 'date' })),
          },
          { additionalProperties: false },
        ),
        response: { 201: Type.Object({ id: Uuid }) },
      },
    },
    async (req, reply) => {
      const ctx = rt.access.authorizeAccess(req, { kinds: ['staff'], purposes: ['application-intake', 'counter-service'], defaultPurpose: 'application-intake' });
      const b = req.body;
      const id = await registerAgent(rt, ctx, { principalId: b.principalId, agentId: b.agentId, kind: b.kind, validFrom: b.validFrom, ...(b.validTo ? { validTo: b.validTo } : {}) });
      return reply.status(201).send({ id });
    },
  );

  app.get(
    '/api/v1/submissions/:id/receipt.pdf',
    {
      schema: { tags: ['applications'], summary: 'The PDF receipt (受付票) of a submission', security: [{ session: [] }], params: Type.Object({ id: Uuid }) },
    },
    async (req, reply) => {
      const pdf = await receiptPdf(rt, readerOf(rt, req), req.params.id, req.t, req.locale, townName());
      return reply.header('content-type', 'application/pdf').header('content-disposition', `inline; filename="receipt.pdf"`).header('cache-control', 'no-store').send(Buffer.from(pdf));
    },
  );
}
