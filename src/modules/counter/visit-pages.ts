/**
 * The visit screen and what is done on it: procedures added and answered, forms printed
 * (the town's layout, or a plain one), the signature (tablet or paper), receiving, the
 * certificates and fees, the end. Every post returns to the screen (303) or shows it with
 * what went wrong (4xx); nothing is half-written.
 */
import { Type } from 'typebox';
import type { FastifyReply, FastifyRequest } from 'fastify';
import type { App } from '../../platform/http/app.js';
import { randomToken } from '../../platform/crypto.js';
import { DomainError } from '../../platform/errors.js';
import { recordAccess } from '../../platform/audit.js';
import { pageContext, sendPage } from '../../platform/views/render.js';
import type { AccessContext } from '../access/index.js';
import { formLines, type DeskItem } from '../applications/index.js';
import { readPostedForm } from './posted.js';
import { PURPOSE, refusedQuery, ROLES } from './pages.js';
import { printForms, type PrintItem } from './print.js';
import { readContext, type CounterRuntime } from './runtime.js';
import { procedureFee } from './certificates.js';
import * as store from './store.js';
import { PreEntryRefused } from './pre-entry.js';
import {
  formsDigest,
  signatureState,
  abandonVisit, addCertificate, addProcedures, answerVisit, clearSignature, endVisit, removeCertificate, removeProcedure, sendVisit, signVisit, visitOf, visitPerson, type Refused,
} from './visits.js';
import { SignPage, type SignItem } from './views/sign.js';
import { VisitPage, type VisitModel } from './views/visit.js';
import { fullName } from './views/common.js';

const Opt = (n = 200) => Type.Optional(Type.String({ maxLength: n }));
const Id = Type.Object({ id: Type.String({ format: 'uuid' }) });
const Csrf = Type.Object({ _csrf: Opt() });
const page = { page: true } as const;

/** A refusal in the clerk's words (the service's messages name fields, not people). */
function problemTexts(req: FastifyRequest, err: DomainError): string[] {
  const { t } = req;
  if (err instanceof PreEntryRefused) return [t(`counter.code.${err.problem}`, { date: err.expiresOn ?? '' })];
  const open = (err.detail as { openApplication?: { reference?: string } } | undefined)?.openApplication?.reference;
  if (open) return [t('counter.visit.problem.open', { reference: open })];
  if (err.code === 'conflict') return [t('counter.visit.problem.conflict')];
  if (err.code === 'not-found') return [t('counter.visit.problem.notFound')];
  const texts = (err.issues ?? []).map((i) => {
    // The application's own checks (form, documents, the rules against the register) are written in the reader's words already.
    if (err.code === 'unprocessable' || /^(applications\/\d+\/)?(data|attachments)\//.test(i.field)) return i.message;
    if (i.field === 'signature') return t('counter.visit.send.needs', { what: t('counter.visit.send.needs.sign') });
    if (i.field === 'signature-stale') return t('counter.visit.problem.stale');
    if (i.field.startsWith('attachments/')) return t('counter.visit.send.needs', { what: t('counter.visit.send.needs.attachments') });
    if (i.field.startsWith('procedures/')) return t('counter.visit.send.needs', { what: t('counter.visit.send.needs.items') });
    if (i.field === 'procedures') return t('counter.visit.send.needs', { what: t('counter.visit.send.needs.procedure') });
    if (i.field === 'copies') return t('counter.visit.problem.copies');
    if (i.field === 'print') return t('counter.visit.problem.print');
    if (i.field === 'subjectId') return t('counter.visit.problem.subject');
    return t('counter.visit.problem.input');
  });
  return texts.length ? [...new Set(texts)] : [t('counter.visit.problem.input')];
}

const statusOf = (err: DomainError): number => (err.code === 'validation' ? 400 : err.code === 'not-found' ? 404 : err.code === 'unprocessable' ? 422 : 409);

export function registerVisitPages(app: App, rt: CounterRuntime): void {
  const clerk = (req: FastifyRequest, reply: FastifyReply): AccessContext | undefined => {
    const staff = rt.access.staffPage(req, reply, { purposes: [PURPOSE], roles: ROLES });
    return staff ? rt.access.authorizeAccess(req, { kinds: ['staff'], purposes: [PURPOSE] }) : undefined;
  };
  const home = (id: string, q = '') => `/staff/counter/visits/${id}${q}`;
  const nameOf = (req: FastifyRequest, code: string) => rt.applications.catalog.procedures.get(code)?.names[req.locale] ?? code;

  async function visitPage(req: FastifyRequest, reply: FastifyReply, ctx: AccessContext, id: string, o: { notices?: string[]; problems?: string[]; items?: DeskItem[]; showErrors?: boolean; status?: number } = {}) {
    const visit = await visitOf(rt, ctx, id);
    const person = await visitPerson(rt, ctx, visit);
    const items = o.items ?? (visit.state === 'open' ? await rt.applications.desk.items(ctx, visit.id) : []);
    // Procedures about someone who has died need them as the subject: not offered until the visit lists them.
    const procedures = [...rt.applications.catalog.procedures.values()]
      .filter((p) => p.signIn === 'required' && (p.subjectStatus ?? 'resident') === 'resident')
      .map((p) => ({ code: p.code, name: p.names[req.locale] }))
      .sort((a, b) => a.name.localeCompare(b.name, 'ja'));
    const sent = (await store.visitApplications(rt.db, visit.id)).map((a) => ({ reference: a.reference, procedure: nameOf(req, a.procedure_code) }));
    const m: VisitModel = {
      visit, person, items, procedures, certificates: rt.certificates, fees: await store.feesOf(rt.db, visit.id), sent,
      notices: o.notices ?? [], problems: o.problems ?? [], showErrors: o.showErrors ?? false, idempotencyKey: randomToken(18),
      pendingFees: items.flatMap((i) => {
        const fee = procedureFee(i.procedure.fee.amount, i.data);
        return fee ? [{ name: i.procedure.names[req.locale], subjectId: i.subjectId, ...fee }] : [];
      }),
      signature: visit.state === 'open' ? signatureState(visit, items) : visit.signed_on ? 'valid' : 'none',
    };
    if (visit.state === 'sent' && visit.submission_id && !o.notices?.length) {
      const first = sent[0]?.reference.replace(/-\d{2}$/, '');
      if (first) m.notices = [req.t('counter.visit.sent', { reference: first })];
    }
    return sendPage(reply, VisitPage({ ctx: pageContext(req), m }), o.status ?? 200);
  }

  /** The forms being signed, as the resident reads them on the tablet. */
  async function signItems(req: FastifyRequest, ctx: AccessContext, v: store.VisitRow): Promise<SignItem[]> {
    const items = v.state === 'open' ? await rt.applications.desk.items(ctx, v.id) : [];
    return items.map((i) => ({ name: i.procedure.names[req.locale], lines: formLines(i.procedure, i.data, req.locale, req.t) }));
  }

  /** Runs a change; a refusal shows the screen with its reason instead of an error page. */
  async function act(req: FastifyRequest, reply: FastifyReply, id: string, change: (ctx: AccessContext, v: store.VisitRow) => Promise<string | void>) {
    const ctx = clerk(req, reply);
    if (!ctx) return reply;
    const v = await visitOf(rt, ctx, id);
    try {
      const q = await change(ctx, v);
      return reply.redirect(home(id, q ?? ''), 303);
    } catch (err) {
      if (!(err instanceof DomainError) || !['validation', 'conflict', 'unprocessable', 'not-found'].includes(err.code)) throw err;
      return visitPage(req, reply, ctx, id, { problems: problemTexts(req, err), status: statusOf(err) });
    }
  }

  app.get(
    '/staff/counter/visits/:id',
    { config: page, schema: { params: Id, querystring: Type.Object({ lang: Opt(10), refused: Opt(2000), saved: Opt(2) }) } },
    async (req, reply) => {
      const ctx = clerk(req, reply);
      if (!ctx) return reply;
      const notices: string[] = [];
      if (req.query.saved === '1') notices.push(req.t('counter.visit.saved'));
      for (const part of (req.query.refused ?? '').split(',').filter(Boolean).slice(0, 10)) {
        const [code = '', reason = '', reference = ''] = part.split(':');
        if (!rt.applications.catalog.procedures.has(code) || !['already-open', 'already-in-visit', 'not-allowed', 'not-counter', 'too-many'].includes(reason)) continue;
        notices.push(req.t(`counter.visit.refused.${reason}`, { name: nameOf(req, code), reference: /^[0-9-]{1,20}$/.test(reference) ? reference : '' }));
      }
      return visitPage(req, reply, ctx, req.params.id, { notices });
    },
  );

  app.post(
    '/staff/counter/visits/:id/procedures',
    { config: page, schema: { params: Id, body: Type.Object({ _csrf: Opt(), procedure: Type.String({ maxLength: 64 }), subjectId: Type.Optional(Type.String({ format: 'uuid' })) }) } },
    async (req, reply) =>
      act(req, reply, req.params.id, async (ctx, v) => {
        const refused: Refused[] = await addProcedures(rt, ctx, v, [{ procedure: req.body.procedure, ...(req.body.subjectId ? { subjectId: req.body.subjectId } : {}) }]);
        return refusedQuery(refused);
      }),
  );

  app.post('/staff/counter/visits/:id/answers', { config: page, schema: { params: Id } }, async (req, reply) => {
    const ctx = clerk(req, reply);
    if (!ctx) return reply;
    const v = await visitOf(rt, ctx, req.params.id);
    if (v.state !== 'open') return visitPage(req, reply, ctx, v.id, { problems: [req.t('counter.visit.problem.conflict')], status: 409 });
    const posted = readPostedForm(req.body);
    const items = await answerVisit(rt, ctx, v, posted);
    const open = items.some((i) => i.questions.length > 0);
    if (!open) return reply.redirect(home(v.id, '?saved=1'), 303);
    return visitPage(req, reply, ctx, v.id, { items, showErrors: true, notices: [req.t('counter.visit.saved')] });
  });

  app.post('/staff/counter/visits/:id/procedures/:draft/remove', { config: page, schema: { params: Type.Object({ id: Type.String({ format: 'uuid' }), draft: Type.String({ format: 'uuid' }) }), body: Csrf } }, async (req, reply) =>
    act(req, reply, req.params.id, async (ctx, v) => removeProcedure(rt, ctx, v, req.params.draft)),
  );

  // ---- printing and signing -------------------------------------------------------------------

  app.post('/staff/counter/visits/:id/print', { config: page, schema: { params: Id, body: Csrf } }, async (req, reply) => {
    const ctx = clerk(req, reply);
    if (!ctx) return reply;
    const v = await visitOf(rt, ctx, req.params.id);
    if (v.state === 'abandoned') return visitPage(req, reply, ctx, v.id, { problems: [req.t('counter.visit.problem.conflict')], status: 409 });
    const person = await rt.registry.personForCounter(readContext(rt, ctx), v.person_id);
    const applicant = { fullName: fullName(person), address: person.address };
    let items: PrintItem[];
    let digest: string | undefined;
    let subjects: string[];
    if (v.state === 'open') {
      const desk = await rt.applications.desk.items(ctx, v.id);
      if (desk.length === 0) return visitPage(req, reply, ctx, v.id, { problems: [req.t('counter.visit.send.needs', { what: req.t('counter.visit.send.needs.procedure') })], status: 409 });
      digest = formsDigest(desk);
      // The signature goes into the forms only while it covers them as they are.
      const signature = v.signed_on === 'tablet' && signatureState(v, desk) === 'valid' ? await store.signatureOf(rt.db, v.id) : undefined;
      items = desk.map((i) => ({ procedure: i.procedure, data: i.data, applicant, ...(signature ? { signature } : {}) }));
      subjects = desk.flatMap((i) => [i.subjectId, i.applicantId]).filter((x): x is string => !!x);
    } else {
      // After sending: the forms as received, with their references and the signature they were sent with (the resident's copy, the file).
      const sent = await store.visitApplications(rt.db, v.id);
      const signature = v.signed_on === 'tablet' ? await store.signatureOf(rt.db, v.id) : undefined;
      items = [];
      subjects = [];
      for (const a of sent) {
        const view = await rt.applications.readApplication(ctx, a.application_id);
        const procedure = rt.applications.catalog.procedures.get(view.procedure.code);
        if (!procedure) continue;
        items.push({ procedure, data: view.data, applicant, reference: a.reference, ...(signature ? { signature } : {}) });
        subjects.push(...[view.subjectId, view.applicantId].filter((x): x is string => !!x));
      }
    }
    const printed = await printForms({ items, proceduresDir: rt.config.proceduresDir, townName: rt.townName(), date: rt.today(), demo: rt.demo() });
    await rt.db.transaction(async (tx) => {
      await store.setPrinted(tx, v.id, printed.pages, digest ?? v.printed_digest ?? '');
      await recordAccess(tx, rt.access.auditEntry(ctx, 'visit.print', [...new Set(subjects)], ['application']));
    });
    return reply
      .header('content-type', 'application/pdf')
      .header('content-disposition', `inline; filename="${v.reference}.pdf"`)
      .header('cache-control', 'no-store')
      .send(Buffer.from(printed.pdf));
  });

  app.get('/staff/counter/visits/:id/signature.png', { config: page, schema: { params: Id, querystring: Type.Object({ v: Opt(12) }) } }, async (req, reply) => {
    const ctx = clerk(req, reply);
    if (!ctx) return reply;
    const v = await visitOf(rt, ctx, req.params.id);
    const png = await store.signatureOf(rt.db, v.id);
    if (!png) return reply.code(404).type('text/plain').send('no signature');
    await recordAccess(rt.db, rt.access.auditEntry(ctx, 'visit.read-signature', [v.person_id], ['signature']));
    return reply.header('content-type', 'image/png').header('cache-control', 'no-store').send(Buffer.from(png));
  });

  app.get('/staff/counter/visits/:id/sign', { config: page, schema: { params: Id, querystring: Type.Object({ lang: Opt(10) }) } }, async (req, reply) => {
    const ctx = clerk(req, reply);
    if (!ctx) return reply;
    const v = await visitOf(rt, ctx, req.params.id);
    return sendPage(reply, SignPage({ ctx: pageContext(req), m: { visit: v, items: await signItems(req, ctx, v), problem: undefined } }));
  });

  app.post(
    '/staff/counter/visits/:id/sign',
    { config: page, bodyLimit: 600_000, schema: { params: Id, body: Type.Object({ _csrf: Opt(), how: Type.Optional(Type.Enum(['tablet', 'paper', 'clear'])), signature: Type.Optional(Type.String({ maxLength: 400_000 })) }) } },
    async (req, reply) => {
      const ctx = clerk(req, reply);
      if (!ctx) return reply;
      const v = await visitOf(rt, ctx, req.params.id);
      const how = req.body.how ?? 'tablet';
      if (how === 'tablet') {
        const m = /^data:image\/png;base64,([A-Za-z0-9+/=]+)$/.exec(req.body.signature ?? '');
        const problem = !m ? 'counter.sign.empty' : undefined;
        try {
          if (problem) throw new DomainError('validation', 'no signature was drawn');
          await signVisit(rt, ctx, v, { png: Buffer.from(m![1]!, 'base64') });
        } catch (err) {
          if (!(err instanceof DomainError) || !['validation', 'conflict'].includes(err.code)) throw err;
          const message = req.t(problem ?? (err.code === 'conflict' ? 'counter.visit.problem.conflict' : 'counter.sign.invalid'));
          return sendPage(reply, SignPage({ ctx: pageContext(req), m: { visit: v, items: await signItems(req, ctx, v), problem: message } }), err.code === 'conflict' ? 409 : 400);
        }
        return reply.redirect(home(v.id), 303);
      }
      return act(req, reply, v.id, async (c, current) => (how === 'paper' ? signVisit(rt, c, current, { paper: true }) : clearSignature(rt, c, current)));
    },
  );

  // ---- receiving, certificates, the end -----------------------------------------------------

  app.post('/staff/counter/visits/:id/send', { config: page, schema: { params: Id, body: Type.Object({ _csrf: Opt(), idempotencyKey: Opt(64) }) } }, async (req, reply) =>
    act(req, reply, req.params.id, async (ctx, v) => {
      const key = /^[A-Za-z0-9_-]{16,64}$/.test(req.body.idempotencyKey ?? '') ? req.body.idempotencyKey : undefined;
      await sendVisit(rt, ctx, v.id, { locale: req.locale, t: req.t, ...(key ? { idempotencyKey: key } : {}) });
    }),
  );

  app.post(
    '/staff/counter/visits/:id/certificates',
    { config: page, schema: { params: Id, body: Type.Object({ _csrf: Opt(), code: Type.String({ maxLength: 64 }), subjectId: Type.Optional(Type.String({ format: 'uuid' })), copies: Opt(4) }) } },
    async (req, reply) =>
      act(req, reply, req.params.id, async (ctx, v) => addCertificate(rt, ctx, v, { code: req.body.code, copies: Number(req.body.copies ?? '1'), ...(req.body.subjectId ? { subjectId: req.body.subjectId } : {}) })),
  );

  app.post('/staff/counter/visits/:id/certificates/:fee/remove', { config: page, schema: { params: Type.Object({ id: Type.String({ format: 'uuid' }), fee: Type.String({ format: 'uuid' }) }), body: Csrf } }, async (req, reply) =>
    act(req, reply, req.params.id, async (ctx, v) => removeCertificate(rt, ctx, v, req.params.fee)),
  );

  app.post('/staff/counter/visits/:id/end', { config: page, schema: { params: Id, body: Csrf } }, async (req, reply) => {
    const ctx = clerk(req, reply);
    if (!ctx) return reply;
    const v = await visitOf(rt, ctx, req.params.id);
    try {
      await endVisit(rt, ctx, v.id);
    } catch (err) {
      if (!(err instanceof DomainError) || err.code !== 'conflict') throw err;
      const key = err.message.includes('not sent') ? 'counter.visit.problem.unsent' : err.message.includes('nothing done') ? 'counter.visit.problem.empty' : 'counter.visit.problem.conflict';
      return visitPage(req, reply, ctx, v.id, { problems: [req.t(key)], status: 409 });
    }
    return reply.redirect(`/staff/counter?ended=${encodeURIComponent(v.reference)}`, 303);
  });

  app.post('/staff/counter/visits/:id/abandon', { config: page, schema: { params: Id, body: Type.Object({ _csrf: Opt(), confirm: Opt(8) }) } }, async (req, reply) => {
    const ctx = clerk(req, reply);
    if (!ctx) return reply;
    const v = await visitOf(rt, ctx, req.params.id);
    if (req.body.confirm !== 'yes') return visitPage(req, reply, ctx, v.id, { problems: [req.t('counter.visit.abandon.unconfirmed')], status: 400 });
    try {
      await abandonVisit(rt, ctx, v.id);
    } catch (err) {
      if (!(err instanceof DomainError) || err.code !== 'conflict') throw err;
      return visitPage(req, reply, ctx, v.id, { problems: [req.t('counter.visit.problem.conflict')], status: 409 });
    }
    return reply.redirect(`/staff/counter?abandoned=${encodeURIComponent(v.reference)}`, 303);
  });
}
