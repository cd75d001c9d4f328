/**
 * 代決 (delegation) from the staff pages: an approver lets a fellow approver of their
 * department approve in their place between two dates, and may revoke it. Delegations are
 * staff data (no resident is read, so no audit entry); cases show them through the
 * timeline's `on behalf of`.
 */
import { Type } from 'typebox';
import type { FastifyReply, FastifyRequest } from 'fastify';
import type { App } from '../../platform/http/app.js';
import { notFound } from '../../platform/errors.js';
import { newId } from '../../platform/ids.js';
import { pageContext, sendPage } from '../../platform/views/render.js';
import { staffAuthority } from './read.js';
import type { CasesRuntime } from './runtime.js';
import { APPROVER_POSITIONS, daysLeft, type ApproverPosition } from './states.js';
import * as store from './store.js';
import { awaitingApproval, DATE, Id, isApproverAnywhere, Opt, page, staffContext, staffNames, type StaffCtx } from './staff-page-kit.js';
import { DelegationsPage, type DelegationForm, type DelegationsModel } from './views/staff-delegations.js';

const REASON_MAX = 200;
const DelegationBody = Type.Object({ _csrf: Opt(), toStaff: Opt(40), validFrom: Opt(10), validTo: Opt(10), reason: Opt(2000) });
const isDate = (v: string) => DATE.test(v) && !Number.isNaN(Date.parse(`${v}T00:00:00Z`));

/** The longest stand-in a delegation grants; a longer absence is a change of post, set with `yakuba staff positions`. */
export const DELEGATION_MAX_DAYS = 92;

export function registerDelegationPages(app: App, rt: CasesRuntime): void {
  /** Fellow approvers (係長, 課長) of the departments where this person approves in their own right. */
  async function colleaguesOf(s: StaffCtx): Promise<{ id: string; name: string }[]> {
    const a = await staffAuthority(rt, s.ctx);
    const departments = [...new Set(a.positions.filter((p) => (APPROVER_POSITIONS as readonly string[]).includes(p.position)).map((p) => p.department))];
    const ids = new Set<string>();
    for (const d of departments) for (const pos of APPROVER_POSITIONS) for (const id of await store.staffIn(rt.db, d, pos as ApproverPosition)) ids.add(id);
    ids.delete(s.staff.id);
    if (ids.size === 0) return [];
    return (await rt.access.staffDirectory([...ids])).filter((x) => x.active).map((x) => ({ id: x.id, name: x.name })).sort((x, y) => x.name.localeCompare(y.name, 'ja'));
  }

  async function render(req: FastifyRequest, reply: FastifyReply, s: StaffCtx, form: DelegationForm, errors: DelegationsModel['errors'], done: DelegationsModel['done'], status = 200) {
    const a = await staffAuthority(rt, s.ctx);
    const today = rt.today();
    const rows = await store.delegationsOf(rt.db, s.staff.id, today);
    const names = await staffNames(rt, rows.flatMap((r) => [r.from_staff, r.to_staff]));
    const row = (r: store.DelegationRow, other: string) => ({
      id: r.id,
      other: names.get(other) ?? '—',
      validFrom: r.valid_from,
      validTo: r.valid_to,
      reason: r.reason,
      active: r.valid_from <= today,
      revocable: r.from_staff === s.staff.id || r.created_by === s.staff.id,
    });
    const approver = isApproverAnywhere(a);
    const model: DelegationsModel = {
      fromMe: rows.filter((r) => r.from_staff === s.staff.id).map((r) => row(r, r.to_staff)),
      toMe: rows.filter((r) => r.to_staff === s.staff.id).map((r) => row(r, r.from_staff)),
      canDelegate: a.positions.some((p) => (APPROVER_POSITIONS as readonly string[]).includes(p.position)),
      colleagues: await colleaguesOf(s),
      form,
      errors,
      done,
      approver,
      awaiting: approver ? (await awaitingApproval(rt, a)).length : 0,
    };
    return sendPage(reply, DelegationsPage({ ctx: pageContext(req), m: model }), status);
  }

  app.get('/staff/cases/delegations', { config: page, schema: { querystring: Type.Object({ lang: Opt(10), done: Opt(10) }) } }, async (req, reply) => {
    const s = staffContext(rt, req, reply);
    if (!s) return reply;
    const done = req.query.done === 'created' || req.query.done === 'revoked' ? req.query.done : undefined;
    return render(req, reply, s, { toStaff: '', validFrom: rt.today(), validTo: rt.today(), reason: '' }, [], done);
  });

  app.post('/staff/cases/delegations', { config: page, schema: { body: DelegationBody } }, async (req, reply) => {
    const s = staffContext(rt, req, reply);
    if (!s) return reply;
    const { t } = req;
    const form: DelegationForm = { toStaff: req.body.toStaff ?? '', validFrom: req.body.validFrom ?? '', validTo: req.body.validTo ?? '', reason: (req.body.reason ?? '').trim() };
    const errors: DelegationsModel['errors'] = [];
    const colleagues = await colleaguesOf(s);
    if (form.toStaff === s.staff.id) errors.push({ field: 'toStaff', message: t('cases.staff.delegations.error.self') });
    else if (!colleagues.some((c) => c.id === form.toStaff)) errors.push({ field: 'toStaff', message: t('cases.staff.delegations.error.to') });
    if (!isDate(form.validFrom)) errors.push({ field: 'validFrom', message: t('cases.staff.delegations.error.from') });
    else if (form.validFrom < rt.today()) errors.push({ field: 'validFrom', message: t('cases.staff.delegations.error.past') });
    if (!isDate(form.validTo)) errors.push({ field: 'validTo', message: t('cases.staff.delegations.error.until') });
    else if (isDate(form.validFrom) && form.validTo < form.validFrom) errors.push({ field: 'validTo', message: t('cases.staff.delegations.error.order') });
    else if (isDate(form.validFrom) && daysLeft(form.validTo, form.validFrom) > DELEGATION_MAX_DAYS) {
      errors.push({ field: 'validTo', message: t('cases.staff.delegations.error.tooLong', { days: String(DELEGATION_MAX_DAYS) }) });
    } else if (isDate(form.validFrom)) {
      // Two approvers standing in for each other at once would leave nobody away-proof.
      const mine = await store.delegationsOf(rt.db, s.staff.id, rt.today());
      const mutual = mine.some((d) => d.from_staff === form.toStaff && d.to_staff === s.staff.id && d.valid_from <= form.validTo && d.valid_to >= form.validFrom);
      if (mutual) errors.push({ field: 'toStaff', message: t('cases.staff.delegations.error.mutual') });
    }
    if (!form.reason) errors.push({ field: 'reason', message: t('cases.staff.delegations.error.reason') });
    else if ([...form.reason].length > REASON_MAX) errors.push({ field: 'reason', message: t('cases.staff.delegations.error.reasonLong') });
    if (errors.length) return render(req, reply, s, form, errors, undefined, 400);
    await store.insertDelegation(rt.db, {
      id: newId(), fromStaff: s.staff.id, toStaff: form.toStaff, validFrom: form.validFrom, validTo: form.validTo, reason: form.reason, createdBy: s.staff.id, demo: rt.demo(),
    });
    return reply.redirect('/staff/cases/delegations?done=created', 303);
  });

  app.post('/staff/cases/delegations/:id/revoke', { config: page, schema: { params: Id, body: Type.Object({ _csrf: Opt() }) } }, async (req, reply) => {
    const s = staffContext(rt, req, reply);
    if (!s) return reply;
    if (!(await store.revokeDelegation(rt.db, req.params.id, s.staff.id))) throw notFound(`delegation ${req.params.id}`);
    return reply.redirect('/staff/cases/delegations?done=revoked', 303);
  });
}
