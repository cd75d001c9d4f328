/**
 * Front-office metrics on cases with known timelines, written straight into the database:
 * every figure is asserted against a value worked out by hand (see the table below) and
 * against a plain count made in SQL / JavaScript from the same rows.
 */
import { randomUUID } from 'node:crypto';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { startTestServer, type TestServer } from '../../testing/server.js';
import { caseMetrics, type MetricsQuery } from './metrics.js';
import { addDays, dateInJapan } from './runtime.js';
import { pausedDays, type CaseState } from './states.js';
import * as store from './store.js';
import { caseTown, type CaseTown } from './testing.js';

const CMS = 'child-medical-subsidy'; // kodomo, 14 days
const CAC = 'child-allowance-claim'; // kodomo, 30 days
const LTC = 'long-term-care-certification'; // kaigo, 30 days

type Step = [at: string, action: string, to: CaseState];
interface Fixture {
  ref: string;
  procedure: string;
  department: string;
  channel: store.Channel;
  standardDays: number;
  steps: Step[];
}

/** 'YYYY-MM-DD HH:mm' in Japan time. */
const jst = (s: string) => new Date(`${s.replace(' ', 'T')}:00+09:00`);

/**
 * The timelines (Japan time). Period under test: 2026-01-01 – 2026-03-31.
 *   A CMS online  5 d   received 6 h · in review 72 h (an assign inside) · proposed 24 h (two levels) · approved 18 h
 *   B CMS paper   8.125 d  received 2 · in review 24+24 · waiting 96 (4 paused days) · proposed 24 · approved 25
 *   C CAC online  27.2917 d  received 1 · in review 48+216+48 (sent back once) · waiting 240 · proposed 24+72 · approved 6
 *   D CAC paper   31.0625 d  received 1 · in review 648 · proposed 86.5 · approved 10 — decided 02-06 00:30 JST, due 02-05: late
 *                 (still 02-05 in UTC: the due check must use the Japan date)
 *   E CMS online  withdrawn 02-10
 *   F CMS online  open (in review) at the period's end
 *   G CAC online  received 2025-12-20, rejected, completed 01-06: 17.0417 d — received 1 · in review 360 · proposed 24 · rejected 24
 *   H CMS paper   received 03-25, completed 04-02: open at the period's end
 *   I CMS online  received 03-31 23:30 JST (in the period; 14:30 UTC)
 *   J CAC online  received 04-01 00:10 JST (after the period, although 03-31 in UTC)
 *   L CMS paper   completed 2025-11-10: before the period
 *   M CAC online  received 2025-12-01, waiting for the resident since 12-02: open at the period's end
 *   K LTC online  department kaigo: 8.0417 d, decided within the period
 */
const FIXTURES: Fixture[] = [
  { ref: 'A', procedure: CMS, department: 'kodomo', channel: 'online', standardDays: 14, steps: [
    ['2026-01-05 09:00', 'receive', 'received'], ['2026-01-05 15:00', 'start-review', 'in-review'], ['2026-01-06 10:00', 'assign', 'in-review'],
    ['2026-01-08 15:00', 'propose', 'proposed'], ['2026-01-09 10:00', 'approve', 'proposed'], ['2026-01-09 15:00', 'approve', 'approved'],
    ['2026-01-10 09:00', 'issue-notice', 'completed']] },
  { ref: 'B', procedure: CMS, department: 'kodomo', channel: 'paper', standardDays: 14, steps: [
    ['2026-01-10 10:00', 'receive', 'received'], ['2026-01-10 12:00', 'start-review', 'in-review'], ['2026-01-11 12:00', 'request-info', 'waiting'],
    ['2026-01-15 12:00', 'answer', 'in-review'], ['2026-01-16 12:00', 'propose', 'proposed'], ['2026-01-17 12:00', 'approve', 'approved'],
    ['2026-01-18 13:00', 'issue-notice', 'completed']] },
  { ref: 'C', procedure: CAC, department: 'kodomo', channel: 'online', standardDays: 30, steps: [
    ['2026-01-20 09:00', 'receive', 'received'], ['2026-01-20 10:00', 'start-review', 'in-review'], ['2026-01-22 10:00', 'request-info', 'waiting'],
    ['2026-02-01 10:00', 'resume', 'in-review'], ['2026-02-10 10:00', 'propose', 'proposed'], ['2026-02-11 10:00', 'send-back', 'in-review'],
    ['2026-02-13 10:00', 'propose', 'proposed'], ['2026-02-14 10:00', 'approve', 'proposed'], ['2026-02-16 10:00', 'approve', 'approved'],
    ['2026-02-16 16:00', 'issue-notice', 'completed']] },
  { ref: 'D', procedure: CAC, department: 'kodomo', channel: 'paper', standardDays: 30, steps: [
    ['2026-01-06 09:00', 'receive', 'received'], ['2026-01-06 10:00', 'start-review', 'in-review'], ['2026-02-02 10:00', 'propose', 'proposed'],
    ['2026-02-06 00:30', 'approve', 'approved'], ['2026-02-06 10:30', 'issue-notice', 'completed']] },
  { ref: 'E', procedure: CMS, department: 'kodomo', channel: 'online', standardDays: 14, steps: [
    ['2026-02-02 09:00', 'receive', 'received'], ['2026-02-02 11:00', 'start-review', 'in-review'], ['2026-02-03 11:00', 'request-info', 'waiting'],
    ['2026-02-10 11:00', 'withdraw', 'withdrawn']] },
  { ref: 'F', procedure: CMS, department: 'kodomo', channel: 'online', standardDays: 14, steps: [
    ['2026-03-20 09:00', 'receive', 'received'], ['2026-03-21 09:00', 'start-review', 'in-review']] },
  { ref: 'G', procedure: CAC, department: 'kodomo', channel: 'online', standardDays: 30, steps: [
    ['2025-12-20 09:00', 'receive', 'received'], ['2025-12-20 10:00', 'start-review', 'in-review'], ['2026-01-04 10:00', 'propose', 'proposed'],
    ['2026-01-05 10:00', 'approve', 'rejected'], ['2026-01-06 10:00', 'issue-notice', 'completed']] },
  { ref: 'H', procedure: CMS, department: 'kodomo', channel: 'paper', standardDays: 14, steps: [
    ['2026-03-25 09:00', 'receive', 'received'], ['2026-03-25 10:00', 'start-review', 'in-review'], ['2026-03-30 10:00', 'propose', 'proposed'],
    ['2026-04-01 10:00', 'approve', 'approved'], ['2026-04-02 10:00', 'issue-notice', 'completed']] },
  { ref: 'I', procedure: CMS, department: 'kodomo', channel: 'online', standardDays: 14, steps: [['2026-03-31 23:30', 'receive', 'received']] },
  { ref: 'J', procedure: CAC, department: 'kodomo', channel: 'online', standardDays: 30, steps: [['2026-04-01 00:10', 'receive', 'received']] },
  { ref: 'L', procedure: CMS, department: 'kodomo', channel: 'paper', standardDays: 14, steps: [
    ['2025-11-01 09:00', 'receive', 'received'], ['2025-11-01 10:00', 'start-review', 'in-review'], ['2025-11-05 10:00', 'propose', 'proposed'],
    ['2025-11-06 10:00', 'approve', 'approved'], ['2025-11-10 10:00', 'issue-notice', 'completed']] },
  { ref: 'M', procedure: CAC, department: 'kodomo', channel: 'online', standardDays: 30, steps: [
    ['2025-12-01 09:00', 'receive', 'received'], ['2025-12-01 10:00', 'start-review', 'in-review'], ['2025-12-02 10:00', 'request-info', 'waiting']] },
  { ref: 'K', procedure: LTC, department: 'kaigo', channel: 'online', standardDays: 30, steps: [
    ['2026-01-15 09:00', 'receive', 'received'], ['2026-01-15 10:00', 'start-review', 'in-review'], ['2026-01-20 10:00', 'propose', 'proposed'],
    ['2026-01-22 10:00', 'approve', 'approved'], ['2026-01-23 10:00', 'issue-notice', 'completed']] },
];

/** Writes a case as the service would have left it after these steps. */
async function addCase(t: TestServer, f: Fixture): Promise<string> {
  const id = randomUUID();
  const at = f.steps.map(([s]) => jst(s));
  const receivedAt = at[0]!;
  let paused = 0;
  f.steps.forEach(([, , to], i) => {
    if (i > 0 && f.steps[i - 1]![2] === 'waiting' && to !== 'waiting') paused += pausedDays(at[i - 1]!, at[i]!);
  });
  const last = f.steps.length - 1;
  const state = f.steps[last]![2];
  const decidedIdx = f.steps.map(([, , to]) => to).lastIndexOf(f.steps.some(([, , to]) => to === 'rejected') ? 'rejected' : 'approved');
  const closed = state === 'completed' || state === 'withdrawn' ? at[last]! : null;
  await store.insertCase(t.db, {
    id, applicationId: randomUUID(), reference: `METRICS-${f.ref}-${id.slice(0, 8)}`, procedureCode: f.procedure, department: f.department, channel: f.channel,
    applicantId: null, subjectId: null, receivedAt, standardDays: f.standardDays, dueDate: addDays(dateInJapan(receivedAt), f.standardDays), demo: false,
  });
  await t.db.query(
    `UPDATE cases.cases SET state = $2, due_date = $3, paused_days = $4, paused_since = $5, decision = $6, decided_at = $7, completed_at = $8, closed_at = $9 WHERE id = $1`,
    [
      id, state, addDays(dateInJapan(receivedAt), f.standardDays + paused), paused, state === 'waiting' ? at[last] : null,
      state === 'completed' ? f.steps[decidedIdx]![2] : null, decidedIdx >= 0 ? at[decidedIdx] : null, state === 'completed' ? closed : null, closed,
    ],
  );
  for (const [i, [, action, to]] of f.steps.entries()) {
    await store.insertStep(t.db, {
      case_id: id, action, from_state: i === 0 ? null : f.steps[i - 1]![2], to_state: to, at: at[i]!, actor_kind: action === 'receive' ? 'system' : 'staff',
      actor_id: null, actor_name: null, on_behalf_of: null, on_behalf_name: null, level: null, position: null, comment: null,
    });
  }
  return id;
}

const Q1 = { from: '2026-01-01', to: '2026-03-31' };
const kodomo = (q: Partial<MetricsQuery> = {}): MetricsQuery => ({ ...Q1, by: 'procedure', departments: ['kodomo'], ...q });
/** The rounding the metrics use (two decimals). */
const r2 = (x: number) => Math.round(x * 100) / 100;

/** Linear-interpolation percentile (what percentile_cont does), computed here in JavaScript. */
function percentile(values: number[], p: number): number {
  const v = [...values].sort((a, b) => a - b);
  const pos = p * (v.length - 1);
  const lo = Math.floor(pos);
  return v[lo]! + (pos - lo) * ((v[Math.min(lo + 1, v.length - 1)] ?? 0) - v[lo]!);
}

describe('case metrics', () => {
  let t: TestServer;
  let town: CaseTown;
  beforeAll(async () => {
    t = await startTestServer({}, { today: () => '2026-03-31' });
    town = await caseTown(t, ['kodomo']);
    for (const f of FIXTURES) await addCase(t, f);
  }, 120_000);
  afterAll(async () => t?.close());

  it('counts a department’s period as worked out by hand', async () => {
    const m = await caseMetrics(t.db, kodomo());
    expect(m.total).toMatchObject({
      received: 8, online: 5, onlineShare: 0.625,
      completed: 5, withdrawn: 1, backlog: 4,
      processingDays: { median: 17.04, p90: 29.55, mean: 17.7 },
      withinStandard: 4, withinStandardShare: 0.8,
      waiting: { cases: 2, totalDays: 14, meanDays: 7 },
    });
    expect(m.total.steps).toEqual([
      { state: 'received', cases: 5, meanHours: 2.2, medianHours: 1, totalHours: 11 },
      { state: 'in-review', cases: 5, meanHours: 288, medianHours: 312, totalHours: 1440 },
      { state: 'waiting', cases: 2, meanHours: 168, medianHours: 168, totalHours: 336 },
      { state: 'proposed', cases: 5, meanHours: 50.9, medianHours: 24, totalHours: 254.5 },
      { state: 'approved', cases: 4, meanHours: 14.75, medianHours: 14, totalHours: 59 },
      { state: 'rejected', cases: 1, meanHours: 24, medianHours: 24, totalHours: 24 },
    ]);
    // The stays add up to the processing time: where the time went, with nothing lost.
    expect(r2(m.total.steps.reduce((s, x) => s + x.totalHours, 0) / 24 / m.total.completed)).toBe(m.total.processingDays.mean);
  });

  it('groups by procedure, channel and month (backlog at each month’s end)', async () => {
    const byProc = await caseMetrics(t.db, kodomo());
    expect(byProc.groups.map((g) => g.key)).toEqual([CAC, CMS]);
    expect(byProc.groups[1]).toMatchObject({
      key: CMS, received: 6, online: 4, onlineShare: 0.6667, completed: 2, withdrawn: 1, backlog: 3,
      processingDays: { median: 6.56, p90: 7.81, mean: 6.56 }, withinStandard: 2, withinStandardShare: 1, waiting: { cases: 1, totalDays: 4, meanDays: 4 },
    });
    expect(byProc.groups[0]).toMatchObject({
      key: CAC, received: 2, online: 1, onlineShare: 0.5, completed: 3, withdrawn: 0, backlog: 1,
      processingDays: { median: 27.29, p90: 30.31, mean: 25.13 }, withinStandard: 2, withinStandardShare: 0.6667, waiting: { cases: 1, totalDays: 10, meanDays: 10 },
    });

    const byChannel = await caseMetrics(t.db, kodomo({ by: 'channel' }));
    expect(byChannel.groups.map((g) => [g.key, g.received, g.completed, g.backlog])).toEqual([
      ['online', 5, 3, 3],
      ['paper', 3, 2, 1],
    ]);

    const byMonth = await caseMetrics(t.db, kodomo({ by: 'month' }));
    expect(byMonth.groups.map((g) => [g.key, g.received, g.online, g.completed, g.withdrawn, g.backlog])).toEqual([
      ['2026-01', 4, 2, 3, 0, 3],
      ['2026-02', 1, 1, 2, 1, 1],
      ['2026-03', 3, 2, 0, 0, 4],
    ]);
    expect(byMonth.groups[0]!.processingDays).toEqual({ median: 8.13, p90: r2(percentile([5, 8.125, 409 / 24], 0.9)), mean: r2((5 + 8.125 + 409 / 24) / 3) });
    expect(byMonth.total).toEqual(byProc.total);
  });

  it('computes the backlog at the period’s end, not now, and uses Japan dates at the edges', async () => {
    const jan = await caseMetrics(t.db, kodomo({ to: '2026-01-31' }));
    expect(jan.total.backlog).toBe(3); // C, D and M were open on 31 January
    const lastDay = await caseMetrics(t.db, kodomo({ from: '2026-03-31', to: '2026-03-31' }));
    expect(lastDay.total.received).toBe(1); // I at 23:30 JST; J (00:10 JST on 1 April) is not in
    const april = await caseMetrics(t.db, kodomo({ from: '2026-04-01', to: '2026-04-30' }));
    expect(april.total).toMatchObject({ received: 1, completed: 1, backlog: 4 }); // J in; H completed; F, I, J, M open
  });

  it('limits to the departments, procedure and channel asked for', async () => {
    const all = await caseMetrics(t.db, { ...Q1, by: 'department' });
    expect(all.total).toMatchObject({ received: 9, online: 6, onlineShare: 0.6667, completed: 6, backlog: 4, withinStandard: 5, withinStandardShare: 0.8333 });
    expect(all.total.processingDays).toEqual({ median: 12.58, p90: 29.18, mean: r2((88.5 + 0.5 / 24 + 193 / 24) / 6) });
    expect(all.groups.map((g) => [g.key, g.received, g.completed])).toEqual([
      ['kaigo', 1, 1],
      ['kodomo', 8, 5],
    ]);
    const paperCms = await caseMetrics(t.db, { ...Q1, by: 'procedure', procedure: CMS, channel: 'paper' });
    expect(paperCms.total).toMatchObject({ received: 2, completed: 1, backlog: 1 });
    const none = await caseMetrics(t.db, { ...Q1, by: 'procedure', departments: [] });
    expect(none.total).toMatchObject({ received: 0, completed: 0, backlog: 0, onlineShare: null, processingDays: { median: null, p90: null, mean: null } });
  });

  it('agrees with plain counts made directly from the rows', async () => {
    const db = t.db;
    const between = (col: string) => `(${col} AT TIME ZONE 'Asia/Tokyo')::date BETWEEN $1::date AND $2::date`;
    const count = async (where: string) =>
      (await db.query<{ n: number }>(`SELECT count(*)::int AS n FROM cases.cases WHERE department = 'kodomo' AND ${where}`, [Q1.from, Q1.to]))[0]!.n;
    const m = await caseMetrics(db, kodomo());
    expect(m.total.received).toBe(await count(between('received_at')));
    expect(m.total.online).toBe(await count(`channel = 'online' AND ${between('received_at')}`));
    expect(m.total.completed).toBe(await count(`state = 'completed' AND ${between('completed_at')}`));
    expect(m.total.withdrawn).toBe(await count(`state = 'withdrawn' AND ${between('closed_at')}`));
    expect(m.total.backlog).toBe(await count(`(received_at AT TIME ZONE 'Asia/Tokyo')::date <= $2::date AND $1::date IS NOT NULL
      AND (closed_at IS NULL OR (closed_at AT TIME ZONE 'Asia/Tokyo')::date > $2::date)`));
    expect(m.total.withinStandard).toBe(await count(`state = 'completed' AND ${between('completed_at')} AND (decided_at AT TIME ZONE 'Asia/Tokyo')::date <= due_date`));

    // Processing time and time per state, recomputed in JavaScript from the rows and steps.
    const done = await db.query<{ id: string; received_at: Date; completed_at: Date }>(
      `SELECT id, received_at, completed_at FROM cases.cases WHERE department = 'kodomo' AND state = 'completed' AND ${between('completed_at')}`, [Q1.from, Q1.to]);
    const days = done.map((c) => (c.completed_at.getTime() - c.received_at.getTime()) / 86_400_000);
    expect(m.total.processingDays).toEqual({ median: r2(percentile(days, 0.5)), p90: r2(percentile(days, 0.9)), mean: r2(days.reduce((a, b) => a + b, 0) / days.length) });
    const perState = new Map<string, number[]>();
    for (const c of done) {
      const steps = (await store.stepsOf(db, c.id)).filter((s) => s.from_state !== s.to_state);
      const hours = new Map<string, number>();
      steps.slice(0, -1).forEach((s, i) => hours.set(s.to_state, (hours.get(s.to_state) ?? 0) + (steps[i + 1]!.at.getTime() - s.at.getTime()) / 3_600_000));
      for (const [state, h] of hours) perState.set(state, [...(perState.get(state) ?? []), h]);
    }
    for (const s of m.total.steps) {
      const hs = perState.get(s.state)!;
      expect(s).toEqual({ state: s.state, cases: hs.length, meanHours: r2(hs.reduce((a, b) => a + b, 0) / hs.length), medianHours: r2(percentile(hs, 0.5)), totalHours: r2(hs.reduce((a, b) => a + b, 0)) });
    }
    expect(m.total.steps.map((s) => s.state).sort()).toEqual([...perState.keys()].sort());
  });

  describe('over HTTP', () => {
    const url = (path: string, q: Record<string, string> = {}) => `${path}?${new URLSearchParams({ ...Q1, ...q }).toString()}`;
    const get = (path: string, headers: Record<string, string> = town.officer.headers) => t.inject({ method: 'GET', url: path, headers });

    it('answers staff with their departments’ figures, named, and documents the route', async () => {
      const res = await get(url('/api/v1/metrics/cases'));
      expect(res.statusCode).toBe(200);
      const body = res.json() as { departments: string[]; filters: unknown; total: { received: number; backlog: number }; groups: { key: string; name: string; standardDays: number; received: number }[] };
      expect(body.departments).toEqual(['kodomo']);
      expect(body.filters).toEqual({ department: null, procedure: null, channel: null });
      expect(body.total).toEqual((await caseMetrics(t.db, kodomo())).total);
      expect(body.groups.map((g) => [g.key, g.standardDays, g.received])).toEqual([[CAC, 30, 2], [CMS, 14, 6]]);
      expect(body.groups.every((g) => g.name && g.name !== g.key)).toBe(true);
      const month = (await get(url('/api/v1/metrics/cases', { by: 'month', channel: 'paper' }))).json() as { groups: { key: string; name: string; received: number }[] };
      expect(month.groups.map((g) => [g.key, g.received])).toEqual([['2026-01', 2], ['2026-02', 0], ['2026-03', 1]]);
      const doc = t.server.app.swagger() as { paths: Record<string, { get: { tags: string[] } }> };
      expect(doc.paths['/api/v1/metrics/cases']!.get.tags).toEqual(['cases']);
      expect(doc.paths['/api/v1/metrics/cases.csv']!.get.tags).toEqual(['cases']);
    });

    it('answers a spoke with purpose application-review for every department', async () => {
      const token = await t.tokenFor({ id: 'spoke-bpr', purposes: ['application-review'] });
      const res = await get(url('/api/v1/metrics/cases', { by: 'department' }), { authorization: `Bearer ${token}`, 'x-purpose': 'application-review' });
      expect(res.statusCode).toBe(200);
      const body = res.json() as { departments: null; total: { received: number; completed: number }; groups: { key: string; name: string }[] };
      expect(body.departments).toBeNull();
      expect(body.total).toMatchObject({ received: 9, completed: 6 });
      expect(body.groups.map((g) => g.key)).toEqual(['kaigo', 'kodomo']);
      const other = await t.tokenFor({ id: 'spoke-other', purposes: ['registry-maintenance'] });
      expect((await get(url('/api/v1/metrics/cases'), { authorization: `Bearer ${other}`, 'x-purpose': 'registry-maintenance' })).statusCode).toBe(403);
    });

    it('refuses: 401 without a session, 403 for a resident or another department, 400 naming the field', async () => {
      expect((await get(url('/api/v1/metrics/cases'), {})).statusCode).toBe(401);
      expect((await get(url('/api/v1/metrics/cases'), town.resident.headers)).statusCode).toBe(403);
      const kaigo = await get(url('/api/v1/metrics/cases', { department: 'kaigo' }));
      expect(kaigo.statusCode).toBe(403);
      expect(kaigo.headers['content-type']).toContain('application/problem+json');
      const bad = async (q: Record<string, string>, field: string) => {
        const res = await get(url('/api/v1/metrics/cases', q));
        expect(res.statusCode, JSON.stringify(q)).toBe(400);
        expect(res.headers['content-type']).toContain('application/problem+json');
        expect((res.json() as { errors: { field: string }[] }).errors.map((e) => e.field).join(' ')).toContain(field);
      };
      await bad({ from: '2026-03-01', to: '2026-02-01' }, 'to');
      await bad({ from: '2023-01-01', to: '2026-01-01' }, 'to');
      await bad({ from: '2026-02-30' }, 'from');
      await bad({ to: 'yesterday' }, 'to');
      await bad({ by: 'week' }, 'by');
      await bad({ procedure: 'no-such-procedure' }, 'procedure');
      await bad({ department: 'nowhere' }, 'department');
      expect((await get(url('/api/v1/metrics/cases.csv', { by: 'week' }))).statusCode).toBe(400);
    });

    it('exports CSV for Excel: BOM, Japanese header, a line per group and the total', async () => {
      const res = await get(url('/api/v1/metrics/cases.csv'));
      expect(res.statusCode).toBe(200);
      expect(res.headers['content-type']).toBe('text/csv; charset=utf-8');
      expect(res.headers['content-disposition']).toBe('attachment; filename="case-metrics-2026-01-01_2026-03-31.csv"');
      expect([...res.rawPayload.subarray(0, 3)]).toEqual([0xef, 0xbb, 0xbf]);
      const lines = res.rawPayload.subarray(3).toString('utf8').split('\r\n');
      expect(lines.pop()).toBe('');
      expect(lines).toHaveLength(4);
      expect(lines[0]!.split(',').slice(0, 8)).toEqual(['区分コード', '区分', '受付件数', 'うちオンライン', 'オンライン割合(%)', '処理完了件数', '取下げ件数', '期末の未処理件数']);
      expect(lines[0]).toContain('「住民の回答待ち」の平均日数');
      expect(lines[2]!.startsWith(`${CMS},`)).toBe(true);
      expect(lines[3]!.split(',').slice(0, 13)).toEqual(['', '合計', '8', '5', '62.5', '5', '1', '4', '17.04', '29.55', '17.7', '4', '80']);
      expect(lines.every((l) => l.split(',').length === lines[0]!.split(',').length)).toBe(true);
    });

    it('shows the dashboard with charts, tables and the CSV link, and no personal data', async () => {
      const res = await get('/staff/metrics?preset=3-months');
      expect(res.statusCode).toBe(200);
      const html = res.body;
      for (const id of ['chart-monthly', 'chart-procedures', 'chart-steps', 'chart-channels']) {
        expect(html).toContain(`aria-labelledby="${id}-t ${id}-d"`);
        expect(html).toContain(`<title id="${id}-t">`);
      }
      expect(html.match(/role="img"/g)).toHaveLength(4);
      expect(html.match(/<details>/g)!.length).toBeGreaterThanOrEqual(5);
      expect(html).toContain('viewBox="0 0 360');
      expect(html).toContain('href="/api/v1/metrics/cases.csv?from=2026-01-01&amp;to=2026-03-31&amp;by=procedure"');
      expect(html).toContain('62.5%'); // online share
      expect(html).toContain('80%'); // within the standard period
      expect(html).not.toMatch(/METRICS-|髙橋|花子|翔太|tanto-|kakari-|kacho-/);
      expect(html).not.toMatch(/[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}/);
      const css = await get('/staff/metrics/assets/metrics.css', {});
      expect(css.statusCode).toBe(200);
      expect(css.headers['content-type']).toContain('text/css');
      const en = await get('/staff/metrics?preset=custom&from=2026-01-01&to=2026-03-31&by=month&lang=en');
      expect(en.statusCode).toBe(200);
      expect(en.body).toContain('Received and completed per month');
      for (const lang of ['ja', 'ja-easy', 'en']) {
        const page = await get(`/staff/metrics?preset=this-month&by=channel&lang=${lang}`);
        expect(page.body, lang).not.toMatch(/cases\.(metrics|state|channel)\.|purpose\./); // every key has words
      }
    });

    it('says what is wrong on the page, and who may see it', async () => {
      const wrong = await get('/staff/metrics?preset=custom&from=2026-03-01&to=2026-02-01');
      expect(wrong.statusCode).toBe(400);
      expect(wrong.body).toContain('class="error-summary"');
      expect(wrong.body).toContain('href="#to"');
      expect((await get('/staff/metrics?department=kaigo')).statusCode).toBe(403);
      const anonymous = await get('/staff/metrics', {});
      expect(anonymous.statusCode).toBe(303);
      expect(anonymous.headers.location).toContain('/staff/sign-in');
      const nobody = await town.staff('metrics-nobody', ['case-officer'], []);
      const page = await get('/staff/metrics', nobody.headers);
      expect(page.statusCode).toBe(200);
      expect(page.body).not.toContain('role="img"');
      const api = (await get(url('/api/v1/metrics/cases'), nobody.headers)).json() as { departments: string[]; total: { received: number } };
      expect(api).toMatchObject({ departments: [], total: { received: 0 } });
    });
  });
});
