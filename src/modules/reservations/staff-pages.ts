/**
 * The facilities desk's set-up pages (`/staff/facilities`): the facilities, one facility's
 * rules, opening hours, units and fees (and adding a unit), and its closures. For staff with
 * the role facility-manager working under the purpose facility-booking. Forms post and answer
 * with pages; a form with a mistake comes back with what was typed and the mistake named.
 */
import { Type } from 'typebox';
import type { FastifyReply, FastifyRequest } from 'fastify';
import type { App } from '../../platform/http/app.js';
import { DomainError } from '../../platform/errors.js';
import type { Locale } from '../../platform/i18n.js';
import { pageContext, sendPage } from '../../platform/views/render.js';
import type { AccessContext } from '../access/index.js';
import * as facilities from './facility-store.js';
import type { Facility } from './facility-store.js';
import type { ReservationsRuntime } from './runtime.js';
import { setupLog } from './staff-store.js';
import { addBlock, addUnit, removeBlock, updateHours, updateRules, updateUnits } from './staff.js';
import { nameIn } from './words.js';
import type { Problem } from './views/common.js';
import { BlocksPage, DeskHomePage, SetupPage, type BlocksModel, type SetupModel } from './views/staff.js';

export const DESK_PURPOSE = 'facility-booking';
export const DESK_ROLES = ['facility-manager'];
const page = { page: true } as const;
const Opt = (n = 200) => Type.Optional(Type.String({ maxLength: n }));
const CodeParams = Type.Object({ code: Type.String({ pattern: '^[a-z0-9][a-z0-9-]{0,62}$' }) });

/** The desk member on a desk page (or undefined after a redirect to sign in or choose the purpose). */
export function deskOf(rt: ReservationsRuntime) {
  return (req: FastifyRequest, reply: FastifyReply): AccessContext | undefined => {
    const staff = rt.access.staffPage(req, reply, { purposes: [DESK_PURPOSE], roles: DESK_ROLES });
    return staff ? rt.access.authorizeAccess(req, { kinds: ['staff'], purposes: [DESK_PURPOSE] }) : undefined;
  };
}

/** The string fields of a posted form. */
export const formOf = (req: FastifyRequest) => {
  const body = (req.body ?? {}) as Record<string, unknown>;
  return { s: (k: string, n = 200) => (typeof body[k] === 'string' ? (body[k] as string).slice(0, n).trim() : ''), has: (k: string) => typeof body[k] === 'string' && body[k] !== '' };
};

/** A service's 400 as field errors and a summary; undefined for other errors. */
export function fieldProblems(err: unknown, t: (k: string, p?: Record<string, string | number>) => string): { fieldErrors: Record<string, string>; problems: Problem[] } | undefined {
  if (!(err instanceof DomainError) || err.code !== 'validation') return undefined;
  const fieldErrors: Record<string, string> = {};
  for (const i of err.issues ?? []) fieldErrors[i.field] = t('reservations.desk.error.field', { message: i.message });
  const problems = Object.entries(fieldErrors).map(([field, message]) => ({ field, message }));
  return { fieldErrors, problems: problems.length ? problems : [{ message: t('reservations.desk.error.invalid') }] };
}

const int = (s: string) => (/^\d+$/.test(s) ? Number(s) : NaN);

function setupModel(f: Facility, locale: Locale, log: { at: Date; what: string }[], o: Partial<SetupModel> = {}): SetupModel {
  const codeOf = (id: string) => f.units.find((u) => u.id === id);
  return {
    code: f.code,
    name: nameIn(f, locale),
    bus: f.kind === 'bus',
    rules: {
      capacity: String(f.capacity), residentWindowDays: String(f.residentWindowDays), nonresidentWindowDays: String(f.nonresidentWindowDays), windowOpensAt: f.windowOpensAt,
      closesMinutesBefore: String(f.closesMinutesBefore), holdMinutes: String(f.holdMinutes), cancelDeadlineDays: String(f.cancelDeadlineDays),
      surchargePercent: String(f.nonresidentSurchargePercent), maxActive: String(f.maxActivePerBooker),
    },
    flags: { lottery: f.lottery, active: f.active },
    hours: [0, 1, 2, 3, 4, 5, 6].map((w) => {
      const h = f.hours.get(w);
      return { weekday: w, open: !!h, opens: h?.opens ?? '09:00', closes: h?.closes ?? '21:00' };
    }),
    units: f.units
      .filter((u) => (f.kind === 'bus' ? u.kind === 'seat' : u.kind === 'space'))
      .slice(0, 60)
      .map((u) => ({
        code: u.code, name: nameIn(u, locale), fee: String(u.hourlyFee), capacity: u.capacity === null ? '' : String(u.capacity), active: u.active,
        parts: u.claims.filter((c) => c !== u.id).map((c) => (codeOf(c) ? nameIn(codeOf(c)!, locale) : '')).join('・'),
      })),
    newUnit: { unitCode: '', unitNameJa: '', unitNameEn: '', unitFee: '', unitCapacity: '' },
    fieldErrors: {},
    problems: [],
    log,
    ...o,
  };
}

export function registerStaffSetupPages(app: App, rt: ReservationsRuntime): void {
  const desk = deskOf(rt);
  const load = async (code: string) => {
    const f = (await facilities.loadFacilities(rt.db, { codes: [code], includeInactive: true }))[0];
    if (!f) throw new DomainError('not-found', `facility ${code}`);
    return f;
  };
  const logOf = (f: Facility) => setupLog(rt.db, f.id, 10);
  const showSetup = async (req: FastifyRequest, reply: FastifyReply, f: Facility, o: Partial<SetupModel> = {}, status = 200) =>
    sendPage(reply, SetupPage({ ctx: pageContext(req), m: setupModel(f, req.locale, await logOf(f), o) }), status);

  app.get('/staff/facilities', { config: page, schema: { querystring: Type.Object({ lang: Opt(10) }) } }, async (req, reply) => {
    if (!desk(req, reply)) return reply;
    const fs = await facilities.loadFacilities(rt.db, { includeInactive: true });
    const m = { facilities: fs.map((f) => ({ code: f.code, name: nameIn(f, req.locale), kind: f.kind, active: f.active, lottery: f.lottery, units: f.units.filter((u) => u.active).length })) };
    return sendPage(reply, DeskHomePage({ ctx: pageContext(req), m }));
  });

  app.get('/staff/facilities/:code/setup', { config: page, schema: { params: CodeParams, querystring: Type.Object({ lang: Opt(10), saved: Opt(20) }) } }, async (req, reply) => {
    if (!desk(req, reply)) return reply;
    const f = await load(req.params.code);
    const saved = req.query.saved;
    const notice = saved && ['rules', 'hours', 'units', 'unit'].includes(saved) ? req.t(`reservations.desk.saved.${saved}`) : undefined;
    return showSetup(req, reply, f, notice ? { notice } : {});
  });

  app.post('/staff/facilities/:code/rules', { config: page, schema: { params: CodeParams } }, async (req, reply) => {
    const ctx = desk(req, reply);
    if (!ctx) return reply;
    const f = await load(req.params.code);
    const { s, has } = formOf(req);
    const r = {
      capacity: int(s('capacity', 6)), holdMinutes: int(s('holdMinutes', 6)), residentWindowDays: int(s('residentWindowDays', 6)), nonresidentWindowDays: int(s('nonresidentWindowDays', 6)),
      windowOpensAt: s('windowOpensAt', 5), closesMinutesBefore: int(s('closesMinutesBefore', 6)), cancelDeadlineDays: int(s('cancelDeadlineDays', 6)),
      surchargePercent: int(s('surchargePercent', 6)), maxActive: int(s('maxActive', 6)), lottery: has('lottery'), active: has('active'),
    };
    try {
      await updateRules(rt, ctx, f.code, r);
      return reply.redirect(`/staff/facilities/${f.code}/setup?saved=rules`, 303);
    } catch (err) {
      const p = fieldProblems(err, req.t);
      if (!p) throw err;
      const typed = Object.fromEntries(['capacity', 'holdMinutes', 'residentWindowDays', 'nonresidentWindowDays', 'windowOpensAt', 'closesMinutesBefore', 'cancelDeadlineDays', 'surchargePercent', 'maxActive'].map((k) => [k, s(k, 6)]));
      return showSetup(req, reply, f, { ...p, rules: typed, flags: { lottery: r.lottery, active: r.active } }, 400);
    }
  });

  app.post('/staff/facilities/:code/hours', { config: page, schema: { params: CodeParams } }, async (req, reply) => {
    const ctx = desk(req, reply);
    if (!ctx) return reply;
    const f = await load(req.params.code);
    const { s, has } = formOf(req);
    const rows = [0, 1, 2, 3, 4, 5, 6].map((w) => ({ weekday: w, open: has(`open-${w}`), opens: s(`opens-${w}`, 5), closes: s(`closes-${w}`, 5) }));
    try {
      await updateHours(rt, ctx, f.code, rows.filter((h) => h.open).map(({ weekday, opens, closes }) => ({ weekday, opens, closes })));
      return reply.redirect(`/staff/facilities/${f.code}/setup?saved=hours#hours`, 303);
    } catch (err) {
      const p = fieldProblems(err, req.t);
      if (!p) throw err;
      const problems = p.problems.map((x) => (x.field?.startsWith('hours-') ? { field: `opens-${x.field.slice(6)}`, message: x.message } : x));
      return showSetup(req, reply, f, { fieldErrors: p.fieldErrors, problems, hours: rows }, 400);
    }
  });

  app.post('/staff/facilities/:code/units', { config: page, schema: { params: CodeParams } }, async (req, reply) => {
    const ctx = desk(req, reply);
    if (!ctx) return reply;
    const f = await load(req.params.code);
    const { s, has } = formOf(req);
    const shown = setupModel(f, req.locale, []).units;
    const units = shown.map((u) => ({ code: u.code, hourlyFee: int(s(`fee-${u.code}`, 8)), capacity: s(`capacity-${u.code}`, 6) === '' ? null : int(s(`capacity-${u.code}`, 6)), active: has(`active-${u.code}`) }));
    try {
      await updateUnits(rt, ctx, f.code, units);
      return reply.redirect(`/staff/facilities/${f.code}/setup?saved=units#units`, 303);
    } catch (err) {
      const p = fieldProblems(err, req.t);
      if (!p) throw err;
      const typed = shown.map((u) => ({ ...u, fee: s(`fee-${u.code}`, 8), capacity: s(`capacity-${u.code}`, 6), active: has(`active-${u.code}`) }));
      return showSetup(req, reply, f, { ...p, units: typed }, 400);
    }
  });

  app.post('/staff/facilities/:code/units/new', { config: page, schema: { params: CodeParams } }, async (req, reply) => {
    const ctx = desk(req, reply);
    if (!ctx) return reply;
    const f = await load(req.params.code);
    const { s } = formOf(req);
    const typed = { unitCode: s('unitCode', 40), unitNameJa: s('unitNameJa', 100), unitNameEn: s('unitNameEn', 100), unitFee: s('unitFee', 8), unitCapacity: s('unitCapacity', 6) };
    try {
      await addUnit(rt, ctx, f.code, {
        code: typed.unitCode, nameJa: typed.unitNameJa, nameEn: typed.unitNameEn, hourlyFee: int(typed.unitFee), capacity: typed.unitCapacity === '' ? null : int(typed.unitCapacity),
      });
      return reply.redirect(`/staff/facilities/${f.code}/setup?saved=unit#units`, 303);
    } catch (err) {
      if (err instanceof DomainError && err.code === 'conflict') {
        const message = req.t('reservations.desk.error.unitCode');
        return showSetup(req, reply, f, { newUnit: typed, fieldErrors: { unitCode: message }, problems: [{ field: 'unitCode', message }] }, 409);
      }
      const p = fieldProblems(err, req.t);
      if (!p) throw err;
      return showSetup(req, reply, f, { ...p, newUnit: typed }, 400);
    }
  });

  // ---- closures ----------------------------------------------------------------------------

  const today = () => new Date(rt.now().getTime() + 9 * 3_600_000).toISOString().slice(0, 10);
  const blank = (): BlocksModel['values'] => ({ unit: '', fromDate: today(), toDate: today(), fromTime: '', toTime: '', reason: 'closed', noteJa: '', noteEn: '' });
  async function showBlocks(req: FastifyRequest, reply: FastifyReply, f: Facility, o: Partial<BlocksModel> = {}, status = 200) {
    const from = rt.now();
    const rows = await facilities.blocksBetween(rt.db, f.id, from, new Date(from.getTime() + 400 * 86_400_000));
    const unitName = (id: string | null) => {
      const u = id ? f.units.find((x) => x.id === id) : undefined;
      return u ? nameIn(u, req.locale) : req.t('reservations.desk.wholeFacility');
    };
    const m: BlocksModel = {
      code: f.code, name: nameIn(f, req.locale), units: f.units.filter((u) => u.kind === 'space').map((u) => ({ code: u.code, name: nameIn(u, req.locale) })),
      blocks: rows.map((k) => ({ id: k.id, what: unitName(k.unitId), start: k.start, end: k.end, reason: k.reason, note: req.locale === 'en' ? k.noteEn || k.noteJa : k.noteJa })),
      values: blank(), fieldErrors: {}, problems: [], ...o,
    };
    return sendPage(reply, BlocksPage({ ctx: pageContext(req), m }), status);
  }

  app.get('/staff/facilities/:code/blocks', { config: page, schema: { params: CodeParams, querystring: Type.Object({ lang: Opt(10), done: Opt(10) }) } }, async (req, reply) => {
    if (!desk(req, reply)) return reply;
    const f = await load(req.params.code);
    const done = req.query.done;
    return showBlocks(req, reply, f, done === 'added' || done === 'removed' ? { notice: req.t(`reservations.desk.block.${done}`) } : {});
  });

  app.post('/staff/facilities/:code/blocks', { config: page, schema: { params: CodeParams } }, async (req, reply) => {
    const ctx = desk(req, reply);
    if (!ctx) return reply;
    const f = await load(req.params.code);
    const { s } = formOf(req);
    const reason = (['closed', 'maintenance', 'event'] as const).find((r) => r === s('reason', 20)) ?? 'closed';
    const values = { unit: s('unit', 40), fromDate: s('fromDate', 10), toDate: s('toDate', 10) || s('fromDate', 10), fromTime: s('fromTime', 5), toTime: s('toTime', 5), reason, noteJa: s('noteJa'), noteEn: s('noteEn') };
    try {
      await addBlock(rt, ctx, f.code, { ...values, unit: values.unit || undefined, fromTime: values.fromTime || undefined, toTime: values.toTime || undefined });
      return reply.redirect(`/staff/facilities/${f.code}/blocks?done=added`, 303);
    } catch (err) {
      if (err instanceof DomainError && err.code === 'conflict') {
        const refs = Array.isArray(err.detail?.references) ? (err.detail.references as string[]).join('、') : '';
        return showBlocks(req, reply, f, { values, problems: [{ message: req.t('reservations.desk.error.blockBookings', { references: refs }) }] }, 409);
      }
      const p = fieldProblems(err, req.t);
      if (!p) throw err;
      return showBlocks(req, reply, f, { ...p, values }, 400);
    }
  });

  app.post('/staff/facilities/:code/blocks/:id/remove', { config: page, schema: { params: Type.Object({ code: CodeParams.properties.code, id: Type.String({ format: 'uuid' }) }) } }, async (req, reply) => {
    const ctx = desk(req, reply);
    if (!ctx) return reply;
    await removeBlock(rt, ctx, req.params.code, req.params.id);
    return reply.redirect(`/staff/facilities/${req.params.code}/blocks?done=removed`, 303);
  });

}
