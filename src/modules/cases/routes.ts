/** The cases API: thin routes — authorize, validate, call the service, answer with the case and its ETag. */
import { Type } from 'typebox';
import type { FastifyReply, FastifyRequest } from 'fastify';
import type { App } from '../../platform/http/app.js';
import { recordAccess } from '../../platform/audit.js';
import { DomainError, notFound } from '../../platform/errors.js';
import type { JobRunner } from './jobs.js';
import { etagOf, inbox, readCase, versionFromIfMatch } from './read.js';
import type { CasesRuntime } from './runtime.js';
import { ActionBodySchema, CaseListQuery, CaseSchema, JobBodySchema, JobSchema } from './schema.js';
import { performAction, type CaseActor } from './service.js';
import * as store from './store.js';

const Uuid = Type.String({ format: 'uuid' });
export const REVIEW = 'application-review';

/** Who reads a case: staff under application-review, or a resident for their own or household's. */
export const caseReader = (rt: CasesRuntime, req: FastifyRequest) =>
  rt.access.authorizeAccess(req, { kinds: ['staff', 'resident'], purposes: [REVIEW, 'self-service'], defaultPurpose: req.principal?.kind === 'resident' ? 'self-service' : undefined });

/** The acting party of a case action: a staff member of the department, or the resident. */
export function caseActor(rt: CasesRuntime, req: FastifyRequest): CaseActor {
  if (req.principal?.kind === 'resident') {
    return { kind: 'resident', personId: req.principal.id, ctx: rt.access.authorizeAccess(req, { kinds: ['resident'], purposes: ['self-service'], defaultPurpose: 'self-service' }) };
  }
  const ctx = rt.access.authorizeAccess(req, { kinds: ['staff'], purposes: [REVIEW] });
  const p = ctx.principal as Extract<typeof ctx.principal, { kind: 'staff' }>;
  return { kind: 'staff', ctx, id: p.id, name: p.name };
}

const withEtag = <T extends { version: number }>(reply: FastifyReply, view: T) => {
  void reply.header('etag', etagOf(view.version)).header('cache-control', 'no-store');
  return view;
};

export function registerCasesApi(app: App, rt: CasesRuntime, jobs: JobRunner): void {
  app.get(
    '/api/v1/cases',
    {
      schema: {
        tags: ['cases'],
        summary: 'The inbox: cases of the departments where the staff member holds a position, open and overdue first; audited',
        security: [{ session: [] }],
        querystring: CaseListQuery,
        response: { 200: Type.Object({ items: Type.Array(CaseSchema), total: Type.Integer(), next: Type.Union([Type.String(), Type.Null()]) }) },
      },
    },
    async (req) => {
      const ctx = rt.access.authorizeAccess(req, { kinds: ['staff'], purposes: [REVIEW] });
      const q = req.query;
      const limit = q.limit ?? 50;
      const offset = q.offset ?? 0;
      const { rows, total } = await inbox(rt, ctx, {
        department: q.department, procedure: q.procedure, state: q.state ?? 'open', channel: q.channel,
        assignee: q.assignee === 'me' ? ctx.principal.id : q.assignee, dueBy: q.dueBy, overdueOn: q.overdue ? rt.today() : undefined, limit, offset,
      });
      const params = new URLSearchParams(Object.entries(q).filter(([k, v]) => v !== undefined && k !== 'offset').map(([k, v]) => [k, String(v)]));
      params.set('offset', String(offset + limit));
      return { items: rows, total, next: offset + limit < total ? `/api/v1/cases?${params.toString()}` : null };
    },
  );

  app.get(
    '/api/v1/cases/:id',
    {
      schema: {
        tags: ['cases'],
        summary: 'One case with its timeline; the ETag is its version (send it as If-Match to act). Residents see their own, folded',
        security: [{ session: [] }],
        params: Type.Object({ id: Uuid }),
        response: { 200: CaseSchema },
      },
    },
    async (req, reply) => withEtag(reply, await readCase(rt, caseReader(rt, req), req.params.id)),
  );

  app.post(
    '/api/v1/cases/:id/actions',
    {
      schema: {
        tags: ['cases'],
        summary: 'Acts on a case (review, request information, answer, propose, approve, send back, issue the notice, reopen, withdraw). Needs If-Match',
        description:
          'A move the table of states does not allow answers 409 naming the current and the target state; a stale If-Match 412; a missing one 428; ' +
          'approving one’s own proposal 403. Residents may answer a request for information and withdraw.',
        security: [{ session: [] }],
        params: Type.Object({ id: Uuid }),
        headers: Type.Object({ 'if-match': Type.Optional(Type.String({ maxLength: 40, description: 'the ETag of the case as last read' })) }),
        body: ActionBodySchema,
        response: { 200: CaseSchema },
      },
    },
    async (req, reply) => {
      const actor = caseActor(rt, req);
      const header = req.headers['if-match'];
      if (header === undefined) throw new DomainError('precondition-required', 'send If-Match with the ETag of the case you acted on');
      const version = versionFromIfMatch(header);
      if (version === undefined) throw new DomainError('precondition-failed', 'If-Match does not name a version of this case (expected an ETag like "3")');
      const b = req.body;
      const result = await performAction(rt, actor, req.params.id, { action: b.action, version, comment: b.comment, outcome: b.outcome, assignee: b.assignee });
      if (result.notice) void reply.header('link', `</verify/${result.notice.hash}>; rel="related"`);
      return withEtag(reply, await readCase(rt, actor.ctx, result.case.id, { audit: false }));
    },
  );

  app.get(
    '/api/v1/cases/:id/notices/:noticeId',
    {
      schema: { tags: ['cases'], summary: 'A decision notice as issued (PDF); audited', security: [{ session: [] }], params: Type.Object({ id: Uuid, noticeId: Uuid }) },
    },
    async (req, reply) => {
      const ctx = caseReader(rt, req);
      // One audit entry for the download (below), not a second one for reading the case.
      const view = await readCase(rt, ctx, req.params.id, { audit: false });
      const notice = view.notices.find((n) => n.id === req.params.noticeId);
      const pdf = notice ? await store.noticePdf(rt.db, notice.id) : undefined;
      if (!pdf) throw notFound(`notice ${req.params.noticeId}`);
      await recordAccess(rt.db, rt.access.auditEntry(ctx, 'case.read-notice', [view.subjectId, view.applicantId].filter((x): x is string => !!x), ['case']));
      return reply
        .header('content-type', 'application/pdf')
        .header('content-disposition', `inline; filename="notice-${view.reference}.pdf"`)
        .header('cache-control', 'no-store')
        .send(Buffer.from(pdf));
    },
  );

  app.post(
    '/api/v1/cases/jobs',
    {
      schema: {
        tags: ['cases'],
        summary: 'Starts bulk work: approve selected cases (each with the version reviewed) or print the day’s decision notices as one PDF',
        security: [{ session: [] }],
        body: JobBodySchema,
        response: { 202: JobSchema },
      },
    },
    async (req, reply) => {
      const ctx = rt.access.authorizeAccess(req, { kinds: ['staff'], purposes: [REVIEW] });
      const id = await jobs.create(ctx.principal.id, req.body);
      return reply.code(202).header('location', `/api/v1/cases/jobs/${id}`).send((await jobs.view(id, ctx.principal.id))!);
    },
  );

  app.get(
    '/api/v1/cases/jobs/:id',
    { schema: { tags: ['cases'], summary: 'A job’s progress (its creator only)', security: [{ session: [] }], params: Type.Object({ id: Uuid }), response: { 200: JobSchema } } },
    async (req) => {
      const ctx = rt.access.authorizeAccess(req, { kinds: ['staff'], purposes: [REVIEW] });
      const view = await jobs.view(req.params.id, ctx.principal.id);
      if (!view) throw notFound(`job ${req.params.id}`);
      return view;
    },
  );

  app.get(
    '/api/v1/cases/jobs/:id/output',
    { schema: { tags: ['cases'], summary: 'A finished print job’s PDF', security: [{ session: [] }], params: Type.Object({ id: Uuid }) } },
    async (req, reply) => {
      const ctx = rt.access.authorizeAccess(req, { kinds: ['staff'], purposes: [REVIEW] });
      const pdf = await jobs.output(req.params.id, ctx);
      if (!pdf) throw notFound(`the output of job ${req.params.id}`);
      return reply.header('content-type', 'application/pdf').header('cache-control', 'no-store').send(Buffer.from(pdf));
    },
  );
}
