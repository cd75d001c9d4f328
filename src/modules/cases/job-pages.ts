/**
 * Bulk work from the staff pages: approve the selected proposals, or print a day's decision
 * notices as one PDF. A job runs in the background; its page shows progress and refreshes
 * itself (the `Refresh` header: no script needed) until it is done. Only its creator sees it.
 */
import { Type } from 'typebox';
import type { App } from '../../platform/http/app.js';
import { notFound } from '../../platform/errors.js';
import { pageContext, sendPage } from '../../platform/views/render.js';
import type { JobParams, JobRunner } from './jobs.js';
import type { CasesRuntime } from './runtime.js';
import { DATE, Id, Opt, page, renderApprovals, staffContext, UUID } from './staff-page-kit.js';
import { JobPage } from './views/staff-jobs.js';

const Many = Type.Optional(Type.Union([Type.String({ maxLength: 60 }), Type.Array(Type.String({ maxLength: 60 }), { maxItems: 500 })]));
const JobBody = Type.Object({ _csrf: Opt(), kind: Type.String({ maxLength: 16 }), case: Many, comment: Opt(2000), date: Opt(10) });

export function registerJobPages(app: App, rt: CasesRuntime, jobs: JobRunner): void {
  app.post('/staff/cases/jobs', { config: page, schema: { body: JobBody } }, async (req, reply) => {
    const s = staffContext(rt, req, reply);
    if (!s) return reply;
    const b = req.body;
    let params: JobParams;
    if (b.kind === 'approve') {
      const cases = [b.case ?? []].flat().flatMap((v) => {
        const [id, version] = v.split(':');
        return id && UUID.test(id) && /^\d{1,9}$/.test(version ?? '') ? [{ id, version: Number(version) }] : [];
      });
      const unique = [...new Map(cases.map((c) => [c.id, c])).values()];
      if (unique.length === 0) return renderApprovals(rt, req, reply, s, [{ message: req.t('cases.staff.approvals.noneSelected') }], b.comment ?? '', 400);
      params = { kind: 'approve', cases: unique, ...(b.comment?.trim() ? { comment: b.comment.trim() } : {}) };
    } else if (b.kind === 'print-notices') {
      params = { kind: 'print-notices', date: DATE.test(b.date ?? '') && !Number.isNaN(Date.parse(b.date!)) ? b.date! : rt.today() };
    } else {
      throw notFound(`job kind ${b.kind.slice(0, 16)}`);
    }
    const id = await jobs.create(s.staff.id, params);
    return reply.redirect(`/staff/cases/jobs/${id}`, 303);
  });

  app.get('/staff/cases/jobs/:id', { config: page, schema: { params: Id, querystring: Type.Object({ lang: Opt(10), refresh: Opt(4) }) } }, async (req, reply) => {
    const s = staffContext(rt, req, reply);
    if (!s) return reply;
    const job = await jobs.view(req.params.id, s.staff.id);
    if (!job) throw notFound(`job ${req.params.id}`);
    const refreshing = (job.state === 'queued' || job.state === 'running') && req.query.refresh !== 'off';
    if (refreshing) void reply.header('refresh', '2');
    return sendPage(reply, JobPage({ ctx: pageContext(req), job, refreshing }));
  });

  app.get('/staff/cases/jobs/:id/output.pdf', { config: page, schema: { params: Id } }, async (req, reply) => {
    const s = staffContext(rt, req, reply);
    if (!s) return reply;
    const job = await jobs.view(req.params.id, s.staff.id);
    const pdf = job ? await jobs.output(req.params.id, s.ctx) : undefined;
    if (!job || !pdf) throw notFound(`the output of job ${req.params.id}`);
    return reply
      .header('cache-control', 'no-store')
      .header('content-disposition', `attachment; filename="notices-${job.createdAt.slice(0, 10)}.pdf"`)
      .type('application/pdf')
      .send(Buffer.from(pdf));
  });
}
